"""An address that names no page: say so in the reader's language and lead to the Overview."""

from __future__ import annotations

import streamlit as st

from dashboard.context import language
from dashboard.i18n import t

lang = language()
st.title(t("not_found_title", lang))
st.info(t("not_found_body", lang))
st.page_link("views/overview.py", label=t("overview", lang), icon=":material/monitoring:",
             query_params={"lang": lang})  # fmt: skip
