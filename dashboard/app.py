"""The Hundredfold dashboard: `streamlit run dashboard/app.py` (or `hundredfold dashboard`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.context import LANGUAGE_KEY, language
from dashboard.i18n import LANGUAGES, t

# Not "pages/": Streamlit would treat a folder of that name as an old-style multipage app
# and serve its scripts directly, without this entry point, to whoever opens a deep link.
VIEWS = Path(__file__).with_name("views")

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
        VIEWS / "overview.py",
        title=t("overview", reader_language),
        icon=":material/monitoring:",
        url_path="overview",
        default=True,
    ),
    st.Page(
        VIEWS / "queue.py",
        title=t("queue", reader_language),
        icon=":material/forum:",
        url_path="queue",
    ),
    st.Page(
        VIEWS / "alerts.py",
        title=t("alerts", reader_language),
        icon=":material/notifications:",
        url_path="alerts",
    ),
    st.Page(
        VIEWS / "team.py",
        title=t("team", reader_language),
        icon=":material/groups:",
        url_path="team",
    ),
    st.Page(
        VIEWS / "sources.py",
        title=t("sources", reader_language),
        icon=":material/rss_feed:",
        url_path="sources",
    ),
]
st.navigation(pages).run()
