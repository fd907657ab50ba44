"""Users, for administrators: who may see and do what, and what was refused."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.context import config, engine_for, language
from dashboard.i18n import t
from dashboard.refusals import access_action, refusal_text
from dashboard.safe_text import as_text, said
from dashboard.sign_in import acting_user, page_actor
from data.access import ROLES, Refused, recent_refusals
from data.users import add_user, list_users, set_active, set_role

lang = language()
settings = config()
engine = engine_for(settings.database_url)
page_actor("users")
zone = settings.timezone
st.title(t("users", lang))
st.caption(t("users_caption", lang))
if message := st.session_state.pop("users_message", None):
    getattr(st, message[0])(message[1])  # Markdown: names and reasons in it are escaped


def _when(value) -> str:
    """A time in the configured zone, or 'never'."""
    if value is None or pd.isna(value):
        return t("user_never", lang)
    return pd.Timestamp(value).tz_convert(zone).strftime("%Y-%m-%d %H:%M")


def _run(change, done: str) -> None:
    """Apply a change as the signed-in admin (re-checked now); say what happened."""
    actor = acting_user()
    if actor is None:
        return
    try:
        change(actor)
    except Refused as refusal:
        # Names in it are escaped.
        st.session_state["users_message"] = ("error", refusal_text(refusal, lang, as_text))
    else:
        st.session_state["users_message"] = ("success", done)


people = list_users(engine)
if people:
    st.dataframe(
        pd.DataFrame({
            t("user_name", lang): [p["name"] for p in people],
            t("user_role", lang): [t(f"role_{p['role']}", lang) for p in people],
            t("user_email", lang): [p["email"] or "—" for p in people],
            t("user_active", lang): ["✓" if p["active"] else "—" for p in people],
            t("user_last_sign_in", lang, zone=zone): [_when(p["last_sign_in_at"]) for p in people],
        }),
        hide_index=True,
    )  # fmt: skip
role_label = lambda role: t(f"role_{role}", lang)  # noqa: E731

with st.form("add_user", clear_on_submit=True):
    st.subheader(t("add_user", lang))
    left, middle, right = st.columns(3)
    name = left.text_input(t("user_name", lang))
    role = middle.selectbox(t("user_role", lang), ROLES, index=1, format_func=role_label)
    email = right.text_input(t("user_email", lang))
    password = st.text_input(t("password", lang), type="password")
    if st.form_submit_button(t("add_user", lang), type="primary") and name.strip():
        _run(lambda actor: add_user(engine, actor, name, role, password or None, email or None),
             said("user_added", lang, name=name.strip()))  # fmt: skip
        st.rerun()

if people:
    st.subheader(t("change_user", lang))
    names = [p["name"] for p in people]
    left, middle = st.columns(2)
    chosen = left.selectbox(t("user_name", lang), names, key="change_user_name")
    current = next(p["role"] for p in people if p["name"] == chosen)
    new_role = middle.selectbox(
        t("user_role", lang), ROLES, index=ROLES.index(current), format_func=role_label,
        key=f"change_user_role.{chosen}",
    )  # fmt: skip
    done = said("user_changed", lang, name=chosen)
    changes = (
        ("set_role", lambda actor: set_role(engine, actor, chosen, new_role)),
        ("disable_user", lambda actor: set_active(engine, actor, chosen, False)),
        ("enable_user", lambda actor: set_active(engine, actor, chosen, True)),
    )
    for column, (label, change) in zip(st.columns(3), changes, strict=True):
        column.button(t(label, lang), on_click=_run, key=label, args=(change, done))

st.subheader(t("refusals_title", lang))
refusals = recent_refusals(engine)
if refusals:
    st.dataframe(
        pd.DataFrame({
            t("refusal_at", lang, zone=zone): [_when(r["at"]) for r in refusals],
            t("user_name", lang): [r["actor"] for r in refusals],
            t("refusal_action", lang): [access_action(r["action"], r["target"], lang)
                                        for r in refusals],
            t("refusal_why", lang): [refusal_text(r["detail"], lang) if r["detail"] else "—"
                                     for r in refusals],
        }),
        hide_index=True,
    )  # fmt: skip
else:
    st.caption(t("no_refusals", lang))
