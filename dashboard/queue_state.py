"""Which case the queue page has open, and the table selection that leads to it.

A component owns its session-state keys: these are the queue's. The open case is kept apart
from the table's selection, whose row numbers point at other cases once the table changes.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t

TABLE_GENERATION = "queue_table_generation"
CURRENT_CASE = "queue_case"
SEEN_SELECTION = "queue_seen_selection"


def table_key() -> str:
    """The queue table's widget key (a new one after each action clears the selection)."""
    return f"queue_table_{st.session_state.get(TABLE_GENERATION, 0)}"


def clear_selection() -> None:
    """Forget the table's row selection: its row numbers no longer point at the same cases."""
    st.session_state[TABLE_GENERATION] = st.session_state.get(TABLE_GENERATION, 0) + 1
    st.session_state[SEEN_SELECTION] = ()


def follow_selection(rows: list[int], case_ids: list[int]) -> None:
    """Open the case of a newly selected single row (a multi-row selection is for bulk)."""
    chosen = tuple(rows)
    if chosen == st.session_state.get(SEEN_SELECTION, ()):
        return
    st.session_state[SEEN_SELECTION] = chosen
    if len(chosen) == 1 and chosen[0] < len(case_ids):
        st.session_state[CURRENT_CASE] = case_ids[chosen[0]]


def move_to_next(case_ids: list[int], lang: str) -> None:
    """Open the case after the current one in the queue's order (the first when none is)."""
    current = st.session_state.get(CURRENT_CASE)
    later = case_ids[case_ids.index(current) + 1 :] if current in case_ids else case_ids
    following = next((case_id for case_id in later if case_id != current), None)
    if following is None:
        st.session_state["queue_message"] = ("info", t("no_next_case", lang))
    else:
        st.session_state[CURRENT_CASE] = following
    clear_selection()


def show_message() -> None:
    """The outcome of the last action (success, or why it was refused), shown once."""
    if message := st.session_state.pop("queue_message", None):
        getattr(st, message[0])(message[1])  # Markdown: outside text in it is escaped
