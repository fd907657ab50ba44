"""The Hundredfold dashboard: `streamlit run dashboard/app.py` (or `hundredfold dashboard`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.context import LANGUAGE_KEY, config, keep_language_in_url, language, show_clock
from dashboard.i18n import LANGUAGES, t
from dashboard.not_found import unknown_address
from dashboard.sign_in import current_actor, show_signed_in
from data.access import PAGE_ACTIONS, allows
from hundredfold.redaction import install_log_redaction

# Not "pages/": Streamlit would treat a folder of that name as an old-style multipage app
# and serve its scripts directly, without this entry point, to whoever opens a deep link.
VIEWS = Path(__file__).with_name("views")
# Each view's file, URL path and title key share one name; the first view opens by default.
VIEW_ICONS = {
    "overview": ":material/monitoring:",
    "queue": ":material/forum:",
    "alerts": ":material/notifications:",
    "team": ":material/groups:",
    "sources": ":material/rss_feed:",
    "users": ":material/manage_accounts:",
}

reader_language = language()
st.set_page_config(
    page_title=t("app_title", reader_language), page_icon=":material/campaign:", layout="wide"
)
with st.sidebar:
    # One label in both languages: a label that changed with the language would make
    # Streamlit see a new widget and reset the choice.
    st.radio(
        "语言 · Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANGUAGE_KEY,
        horizontal=True,
    )
keep_language_in_url(reader_language)
settings = config()
with st.sidebar:
    show_clock(settings.timezone, reader_language)  # every time on every page is on this clock
install_log_redaction()  # secrets read from { env = ... } stay out of the server's log
actor = current_actor(settings, reader_language)
if actor is not None:
    show_signed_in(actor, settings, reader_language)
# Every view is registered, so every URL opens its own page; each view checks first who
# reads it (dashboard.sign_in.page_actor): signed out, it draws the sign-in form, and for a
# role that may not open it, a refusal. Pages a role may not open are left out of the menu.
pages = [
    st.Page(
        VIEWS / f"{name}.py",
        title=t(name if actor else "sign_in_title", reader_language),
        icon=icon,
        url_path=name,
        visibility="visible" if actor and allows(actor.role, PAGE_ACTIONS[name]) else "hidden",
    )
    for name, icon in VIEW_ICONS.items()
]


def home() -> None:
    """The app's root: the Overview, at its own address (/overview?lang=...)."""
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


# Streamlit serves its default page at the root only, so /overview would be "Page not
# found" if the Overview were the default: the default is this hidden step to it instead.
pages.append(st.Page(home, title=t("overview", reader_language), url_path="home",
                     default=True, visibility="hidden"))  # fmt: skip
if (unknown := unknown_address(set(VIEW_ICONS) | {"home"})) is not None:
    pages.append(st.Page(VIEWS / "not_found.py", title=t("not_found_title", reader_language),
                         url_path=unknown, visibility="hidden"))  # fmt: skip
st.navigation(pages, position="sidebar" if actor else "hidden").run()
