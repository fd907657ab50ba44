"""An address that names no page: our own page in the reader's language, not Streamlit's."""

from __future__ import annotations

import re

from streamlit.runtime.scriptrunner import get_script_run_ctx

# A name Streamlit accepts as a page's address (and nothing that could read as a path).
_PAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,60}")


def unknown_address(known: set[str]) -> str | None:
    """The page name the browser asked for when it is none of `known` (None otherwise).

    Streamlit answers such a name with an English "Page not found" dialog; registering a
    hidden page under the name lets the app answer it instead. The name is read from the
    run's context, which Streamlit keeps internal: when it moves, the dialog comes back and
    nothing else breaks.
    """
    context = get_script_run_ctx()
    manager = getattr(context, "pages_manager", None)
    asked = getattr(manager, "intended_page_name", None)
    if not isinstance(asked, str) or not asked or asked in known:
        return None
    return asked if _PAGE_NAME.fullmatch(asked) else None
