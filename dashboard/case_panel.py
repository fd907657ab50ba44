"""The selected case: the post in context, why it ranks where it does, and what to do next.

The panel shows the case a manager opened, whatever happens to it: after a claim, a reply or
a resolve it stays open (even when the case has left the current view), and "Next case"
moves to the case after it in the queue's order.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard.case_actions import show_actions
from dashboard.context import cached_case_context
from dashboard.i18n import t, value_label
from dashboard.posts import safe_link, snippet
from dashboard.queue_table import format_time_left
from dashboard.safe_text import said
from data.access import Actor
from data.cases import SYSTEM
from hundredfold.config import Config

# Notes data/cases.py writes itself, and what they are called on the page.
SYSTEM_NOTES = {
    "closed without a reply": "note_closed_unanswered",
    "claim timed out": "note_claim_timed_out",
    "snooze ended": "note_snooze_ended",
}


def show_case(case: pd.Series, published_local, me: Actor, settings: Config, lang: str) -> None:
    """Render one case: post, context, priority factors, reply editor and transitions."""
    case_id = int(case["case_id"])
    with st.container(border=True):
        if case["title"]:
            st.text(case["title"])  # as text: a title is the poster's words, never Markdown
        author = case["author"] or "—"
        channel = value_label("channel", case["channel"], lang)
        st.text(f"#{case_id} · {author} · {case['source']} · {channel} · "
                f"{published_local:%Y-%m-%d %H:%M}")  # fmt: skip
        st.text(case["body"])  # always as text: a post is never rendered as HTML or Markdown
        label = value_label("label", case["label"] or "neutral", lang)
        p_negative = 0 if pd.isna(case["p_negative"]) else case["p_negative"]
        model = case["model"] if isinstance(case["model"], str) else "—"
        st.caption(said("judged_by", lang, label=label, model=model, p=p_negative))
        if case["uncertain"] is True:
            st.warning(t("uncertain", lang))
        if not pd.isna(case["time_left_s"]):
            lane = value_label("lane", case["lane"], lang)
            left = format_time_left(case["time_left_s"], lang)
            st.caption(t("panel_due", lang, lane=lane, left=left))
        st.caption(
            t("why_rank", lang, negativity=case["negativity"], reach=case["reach"],
              urgency=case["urgency"], priority=case["priority"])
        )  # fmt: skip
        link = safe_link(case["url"])
        if link:
            st.link_button(t("open_original", lang), link)
        _show_context(settings.database_url, case_id, settings.timezone, lang)
        show_actions(case, me, settings, lang)


def _show_context(url: str, case_id: int, timezone: str, lang: str) -> None:
    """The thread's parent, the author's other posts, duplicates and the audit trail."""
    context = cached_case_context(url, case_id)
    sections = [
        ("parent_post", [context.parent] if context.parent else []),
        ("same_author", context.same_author),
        ("duplicates", context.duplicates),
    ]
    for key, items in sections:
        if items:
            with st.expander(f"{t(key, lang)} ({len(items)})"):
                for item in items:
                    st.text(snippet(item["title"], item["body"]))
    if context.events:
        with st.expander(t("history", lang), expanded=True):
            for event in context.events:
                st.text(_event_line(event, timezone, lang))


def _event_line(event: dict, timezone: str, lang: str) -> str:
    """One line of the case's history: when, who, what (a move, a note, a failed send)."""
    kind = event.get("kind") or "transition"
    if kind == "transition":
        what = (f"{value_label('status', event['from_status'], lang)} → "
                f"{value_label('status', event['to_status'], lang)}")  # fmt: skip
    else:
        what = t(f"event_{kind}", lang)
    note = f" · {_note(event['note'], lang)}" if event["note"] else ""
    local = event["at"].astimezone(ZoneInfo(timezone))  # one clock: the configured zone
    actor = t("event_system", lang) if event["actor"] == SYSTEM else event["actor"]
    return f"{local:%Y-%m-%d %H:%M} · {actor} · {what}{note}"


def _note(note: str, lang: str) -> str:
    """An event's note: the store's own notes (a claim that timed out) in the reader's words,
    a person's note as they typed it."""
    key = SYSTEM_NOTES.get(note)
    return t(key, lang) if key else note
