"""The queue opened by a link (an alert's, a shared address): ?case=ID opens that case,
?channel=, ?topic= (comma-separated) and ?view= narrow the queue to what the link is about.

A link is applied once when the page opens on it; the manager's own choices then hold until
another link (or a reload of this one) arrives.
"""

from __future__ import annotations

import streamlit as st

from dashboard.queue_state import CURRENT_CASE, clear_selection
from data.queue import ACTIONABLE_STATUSES

APPLIED = "queue_link_applied"
LINK_PARAMETERS = ("case", "channel", "topic", "view")
# The filters a link names, and what the others go back to (the queue's defaults).
RESET = {"queue_status": list(ACTIONABLE_STATUSES), "queue_channel": [], "queue_post_language": [],
         "queue_topic": [], "queue_assignee": [], "queue_search": ""}  # fmt: skip


def _values(name: str) -> list[str]:
    """A comma-separated (or repeated) parameter's values."""
    return [part for value in st.query_params.get_all(name) for part in value.split(",") if part]


def apply_link(views: tuple[str, ...]) -> bool:
    """Narrow the queue to the address's parameters when they are new; True when a link is
    in force (the page says so)."""
    link = tuple((name, tuple(_values(name))) for name in LINK_PARAMETERS if _values(name))
    if not link:
        st.session_state.pop(APPLIED, None)  # the next link, even the same one, applies again
        return False
    if st.session_state.get(APPLIED) == link:
        return True
    st.session_state[APPLIED] = link
    found = dict(link)
    if found.get("case") and found["case"][0].isdigit():
        st.session_state[CURRENT_CASE] = int(found["case"][0])
        clear_selection()
    if found.keys() & {"channel", "topic", "view"}:
        for key, default in RESET.items():
            st.session_state[key] = list(default) if isinstance(default, list) else default
        st.session_state["queue_channel"] = list(found.get("channel", ()))
        st.session_state["queue_topic"] = list(found.get("topic", ()))
        view = found.get("view", ("next",))[0]
        st.session_state["queue_view"] = view if view in views else "next"
        # The widgets are seeded again from these values (see dashboard.context.lasting_key).
        for key in [k for k in st.session_state if str(k).startswith("queue_") and "." in k]:
            del st.session_state[key]
    return True
