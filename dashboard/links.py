"""Links from one page to another that keep the reader's session (and so their language and
sign-in): Streamlit's page links, which only exist inside the app's navigation."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dashboard.safe_text import as_text


def page_link(page: str, label: str, icon: str, query_params: dict[str, str]) -> None:
    """A link to the view file `page` with `query_params`; a view run on its own (outside
    app.py's navigation) gets a plain link to the same address instead."""
    try:
        st.page_link(page, label=label, icon=icon, query_params=query_params)
    except StreamlitPageNotFoundError:
        address = "/" + page.removeprefix("views/").removesuffix(".py")
        st.markdown(f"[{as_text(label)}]({address}?{urlencode(query_params)})")
