"""The Hundredfold dashboard: `streamlit run dashboard/app.py` (or `hundredfold dashboard`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.context import LANGUAGE_KEY, config, language
from dashboard.i18n import LANGUAGES, t
from dashboard.sign_in import current_actor, refused_page, show_signed_in, sign_in_page
from data.access import PAGE_ACTIONS, allows

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
settings = config()
actor = current_actor(settings, reader_language)


def _refusal(name: str):
    """The page that stands where `name` would be, for a role that may not open it."""
    return lambda: refused_page(name)


if actor is None:
    # Signed out: the sign-in form answers every page's URL, and nothing else is drawn; once
    # signed in, the same URL opens its page.
    pages = [
        st.Page(
            sign_in_page,
            title=t("sign_in_title", reader_language),
            url_path=name,
            default=name == "overview",
            visibility="visible" if name == "overview" else "hidden",
        )  # fmt: skip
        for name in VIEW_ICONS
    ]
    st.navigation(pages, position="hidden").run()
    st.stop()
show_signed_in(actor, settings, reader_language)
pages = [
    st.Page(
        VIEWS / f"{name}.py",
        title=t(name, reader_language),
        icon=icon,
        url_path=name,
        default=name == "overview",
    )  # fmt: skip
    if allows(actor.role, PAGE_ACTIONS[name])
    else st.Page(
        _refusal(name), title=t(name, reader_language), url_path=name, visibility="hidden"
    )  # fmt: skip
    for name, icon in VIEW_ICONS.items()
]
st.navigation(pages).run()
