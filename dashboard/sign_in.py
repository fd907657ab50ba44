"""Who is using the dashboard: the sign-in page, the session behind it, and sign-out.

Sign-in is needed as soon as one user exists or an identity provider is configured; before
that, whoever opens the page is the local administrator (a fresh install and the demo). The
browser tab holds only a random session token; the user and their role are read from the
store on every run, so a disabled user or a changed role takes effect at once, and an idle
session ends after `[sign_in] idle_timeout`.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard.context import config, engine_for, language, utc_now
from dashboard.i18n import t
from dashboard.safe_text import said
from data.access import PAGE_ACTIONS, Actor, allows, record, users_exist
from data.sign_in import SignInRefused, session_actor, sign_in, sign_in_by_email, sign_out
from hundredfold.config import Config

TOKEN_KEY = "sign_in_token"
ACTOR_KEY = "signed_in_actor"
MESSAGE_KEY = "sign_in_message"
# Whoever opens the dashboard before any user exists (the name their actions are kept under).
OPEN_MODE = Actor("local", "admin")


def sign_in_required(settings: Config) -> bool:
    """Whether the dashboard asks who you are (a user exists, or an identity provider is set)."""
    return settings.sign_in.oidc is not None or users_exist(engine_for(settings.database_url))


def current_actor(settings: Config, lang: str) -> Actor | None:
    """The signed-in user (or the open-mode actor), kept for this run's pages; None: sign in."""
    actor = OPEN_MODE if not sign_in_required(settings) else _session_user(settings, lang)
    st.session_state[ACTOR_KEY] = actor
    return actor


def _session_user(settings: Config, lang: str) -> Actor | None:
    """The user of this tab's live session, opening one from the provider's identity."""
    engine = engine_for(settings.database_url)
    token = st.session_state.get(TOKEN_KEY)
    if token is None and settings.sign_in.oidc is not None and _provider_signed_in():
        email = str(st.user.get("email") or "")
        try:
            token = sign_in_by_email(engine, email, _address(), utc_now())
        except SignInRefused:
            st.session_state[MESSAGE_KEY] = ("error", said("sign_in_no_access", lang, email=email))
            return None
        st.session_state[TOKEN_KEY] = token
    if token is None:
        return None
    idle = timedelta(seconds=settings.sign_in.idle_seconds)
    actor = session_actor(engine, token, utc_now(), idle)
    if actor is None:
        st.session_state.pop(TOKEN_KEY, None)
        minutes = max(1, settings.sign_in.idle_seconds // 60)
        st.session_state[MESSAGE_KEY] = ("info", t("signed_out_idle", lang, minutes=minutes))
        if settings.sign_in.oidc is not None and _provider_signed_in():
            st.logout()  # or the provider's cookie would sign the idle tab straight back in
    return actor


def acting_user() -> Actor | None:
    """Who this run acts as, re-checked against the store (for buttons' callbacks, which
    run before the page is drawn again): None when the session has ended meanwhile."""
    settings = config()
    return current_actor(settings, language())


def page_actor(page: str) -> Actor:
    """Who reads `page`: the actor app.py found for this run (or, for a view run on its own,
    found now). With nobody signed in the sign-in form is drawn instead, and for a role that
    may not open the page a refusal (recorded); either way the page stops there."""
    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        actor = current_actor(config(), language())
    if actor is None:
        sign_in_page()
        st.stop()
    if not allows(actor.role, PAGE_ACTIONS[page]):
        refused_page(page, actor)
        st.stop()
    return actor


def _provider_signed_in() -> bool:
    """Whether the identity provider's cookie says who this is (False without [auth])."""
    return bool(st.user.get("is_logged_in", False))


def _address() -> str:
    """The browser's address as Streamlit sees it (a proxy's, behind one)."""
    return str(st.context.ip_address or "unknown")


def sign_in_page() -> None:
    """The sign-in form (or the identity provider's button); nothing else is drawn."""
    lang = language()
    settings = config()
    st.title(t("sign_in_title", lang))
    st.caption(t("sign_in_intro", lang))
    if message := st.session_state.pop(MESSAGE_KEY, None):
        getattr(st, message[0])(message[1])  # Markdown: the e-mail address in it is escaped
    if settings.sign_in.oidc is not None:
        if _provider_signed_in():
            st.button(t("sign_out", lang), on_click=st.logout)
        else:
            st.button(t("sign_in_oidc", lang), type="primary", on_click=st.login)
        return
    # Cleared on submit: the password does not stay in the form (or the session) afterwards.
    with st.form("sign_in_form", clear_on_submit=True):
        name = st.text_input(t("user_name", lang), key="sign_in_name", autocomplete="username")
        password = st.text_input(t("password", lang), type="password", key="sign_in_password",
                                 autocomplete="current-password")  # fmt: skip
        submitted = st.form_submit_button(t("sign_in", lang), type="primary")
    if not submitted:
        return
    engine = engine_for(settings.database_url)
    try:
        token = sign_in(engine, name, password, _address(), utc_now(),
                        settings.sign_in.max_failures)  # fmt: skip
    except SignInRefused as refusal:
        key = "sign_in_locked" if refusal.locked else "sign_in_wrong"
        st.error(t(key, lang, minutes=15))
        return
    st.session_state[TOKEN_KEY] = token
    st.rerun()


def show_signed_in(actor: Actor, settings: Config, lang: str) -> None:
    """The sidebar's 'signed in as' line and sign-out button (or the open-mode note)."""
    with st.sidebar:
        if actor is OPEN_MODE:
            st.caption(t("open_mode", lang))
            return
        st.caption(said("signed_in_as", lang, name=actor.name, role=t(f"role_{actor.role}", lang)))
        if st.button(t("sign_out", lang), key="sign_out"):
            token = st.session_state.pop(TOKEN_KEY, None)
            if token:
                sign_out(engine_for(settings.database_url), token, utc_now())
            st.session_state.pop(ACTOR_KEY, None)
            if settings.sign_in.oidc is not None and _provider_signed_in():
                st.logout()
            st.rerun()


def refused_page(name: str, actor: Actor) -> None:
    """A page this role may not open, reached by its URL: say so, and record the attempt."""
    lang = language()
    settings = config()
    record(engine_for(settings.database_url), actor.name, f"open {name}", f"page {name}",
           "refused", f"{actor.name} is {actor.role}")  # fmt: skip
    st.error(t("page_refused", lang, role=t(f"role_{actor.role}", lang)))
    st.page_link("views/overview.py", label=t("overview", lang), icon=":material/monitoring:")
