"""The Hundredfold dashboard: `streamlit run dashboard/app.py` (or `hundredfold dashboard`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.context import LANGUAGE_KEY, language
from dashboard.i18n import LANGUAGES, t

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
pages = [
    st.Page(
        VIEWS / f"{name}.py",
        title=t(name, reader_language),
        icon=icon,
        url_path=name,
        default=name == "overview",
    )
    for name, icon in VIEW_ICONS.items()
]
st.navigation(pages).run()
