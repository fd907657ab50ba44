"""Reply queue, for community managers: what can still be answered in time comes first."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.case_actions import show_bulk_bar
from dashboard.case_panel import show_case
from dashboard.charts import topic_label
from dashboard.context import (
    cached_lane_counts,
    cached_queue,
    cached_queue_facets,
    config,
    engine_for,
    language,
    lasting_key,
    release_expired_holds,
    utc_now,
)
from dashboard.i18n import t, value_label
from dashboard.numbers import format_count
from dashboard.queue_links import apply_link
from dashboard.queue_state import (
    CURRENT_CASE,
    follow_selection,
    move_to_next,
    show_message,
    table_key,
)
from dashboard.queue_table import column_config, display_table, format_span
from dashboard.sign_in import page_actor
from data.queue import ACTIONABLE_STATUSES, SORTS, QueueFilter, case_row, with_priority

STATUSES = ("new", "claimed", "snoozed", "replied", "resolved", "not_a_complaint")
VIEW_CHOICES = ("next", "overdue", "backfill", "all")

lang = language()
settings = config()
me = page_actor("queue")
url = settings.database_url
st.title(t("queue", lang))
st.caption(t("queue_intro", lang, hours=f"{settings.sla_hours:g}"))
if apply_link(VIEW_CHOICES):
    st.caption(t("queue_linked", lang))
release_expired_holds(url, settings.claim_timeout_seconds)


def _filters() -> QueueFilter:
    """The filters row and the search box, remembered across languages."""
    facets = cached_queue_facets(url)
    choices = {}
    specs = [
        ("status", STATUSES, "status", list(ACTIONABLE_STATUSES)),
        ("channel", facets["channels"], "channel", []),
        ("post_language", facets["languages"], "lang", []),
        ("topic", facets["topics"], "topic", []),
        ("assignee", facets["assignees"], None, []),
    ]
    for column, (name, options, kind, default) in zip(st.columns(5), specs, strict=True):
        widget, remember = lasting_key(f"queue_{name}", default, lang)
        choices[name] = column.multiselect(
            t(name, lang), options, key=widget, on_change=remember, placeholder=t("all", lang),
            format_func=(
                (lambda v: topic_label(v, lang)) if kind == "topic"
                else (lambda v, k=kind: value_label(k, v, lang)) if kind
                else str
            ),
        )  # fmt: skip
    search_widget, remember_search = lasting_key("queue_search", "", lang)
    words = st.text_input(t("queue_search", lang), key=search_widget, on_change=remember_search)
    return QueueFilter(
        statuses=tuple(choices["status"] or STATUSES), channels=tuple(choices["channel"]),
        languages=tuple(choices["post_language"]), topics=tuple(choices["topic"]),
        assignees=tuple(choices["assignee"]), search=words,
        now=utc_now().replace(second=0, microsecond=0),
        stale_after_seconds=settings.stale_after_seconds,
    )  # fmt: skip


def _view_and_sort(narrowed: QueueFilter) -> tuple[str, str]:
    """Which lanes to show (with their counts) and in which order."""
    counts = cached_lane_counts(url, narrowed)
    sizes = {"next": counts["answerable"] + counts["overdue"], "overdue": counts["overdue"],
             "backfill": counts["backfill"], "all": sum(counts.values())}  # fmt: skip
    left, right = st.columns([3, 2])
    view_widget, remember_view = lasting_key("queue_view", "next", lang)
    view = left.segmented_control(
        t("queue_view", lang), VIEW_CHOICES, key=view_widget, on_change=remember_view,
        format_func=lambda v: t(f"view_{v}", lang, n=format_count(sizes[v], lang)),
    )  # fmt: skip
    sort_widget, remember_sort = lasting_key("queue_sort", "priority", lang)
    sort = right.segmented_control(
        t("queue_sort", lang), SORTS, key=sort_widget, on_change=remember_sort,
        format_func=lambda v: t(f"sort_{v}", lang),
    )  # fmt: skip
    return view or "next", sort or "priority"


@st.fragment(run_every=60)  # the countdown column stays live: the page redraws each minute
def queue_body() -> None:
    """Filters, the view's table, the bulk bar and the open case."""
    show_message()
    narrowed = _filters()
    view, sort = _view_and_sort(narrowed)
    narrowed = replace(narrowed, view=view)
    if view == "backfill":
        stale = format_span(settings.stale_after_seconds, lang)
        st.caption(t("view_backfill_note", lang, stale=stale))
    cases = cached_queue(url, narrowed, settings.sla(), sort)
    case_ids = [int(value) for value in cases["case_id"]]
    current = st.session_state.get(CURRENT_CASE)
    if cases.empty:
        st.info(t("queue_empty", lang))
    else:
        count = "queue_count_one" if len(cases) == 1 else "queue_count"
        st.caption(t(count, lang, count=format_count(len(cases), lang)))
        selection = st.dataframe(
            display_table(cases, current, narrowed.clock(), lang), hide_index=True,
            width="stretch", on_select="rerun", selection_mode="multi-row", key=table_key(),
            column_config=column_config(lang),
        )  # fmt: skip
        rows = list(selection.selection.rows) if selection else []
        follow_selection(rows, case_ids)
        if len(rows) > 1:
            chosen = [case_ids[row] for row in rows if row < len(case_ids)]
            show_bulk_bar(chosen, case_ids, me, settings, lang)
    st.button(t("next_case", lang), key="next-case", on_click=move_to_next, args=(case_ids, lang),
              disabled=not case_ids)  # fmt: skip
    current = st.session_state.get(CURRENT_CASE)
    if current is None:
        st.caption(t("select_hint", lang))
        return
    _show_open_case(int(current), case_ids, narrowed)


def _show_open_case(case_id: int, case_ids: list[int], narrowed: QueueFilter) -> None:
    """The open case's panel, even when the case has left the view."""
    found = case_row(engine_for(url), case_id, narrowed.clock())
    if found.empty:
        st.session_state.pop(CURRENT_CASE, None)
        return
    case = with_priority(found, settings.sla(), narrowed.clock()).iloc[0]
    if case_id not in case_ids:
        st.info(t("case_left_view", lang, status=value_label("status", case["status"], lang)))
    published = case["published_at"].tz_convert(settings.timezone)
    show_case(case, published, me, settings, lang)


queue_body()
