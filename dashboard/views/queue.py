"""Reply queue, for community managers: the complaints to answer, most urgent first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.case_panel import show_case, show_message, table_key
from dashboard.charts import topic_label
from dashboard.context import (
    cached_queue,
    cached_queue_count,
    cached_queue_facets,
    config,
    language,
    lasting_key,
    manager_name,
    release_expired_holds,
    utc_now,
)
from dashboard.i18n import t, value_label
from dashboard.numbers import format_age, format_count
from dashboard.posts import safe_link, snippet
from data.queue import QueueFilter
from data.reports import OPEN_CASE_STATUSES
from sentiment.priority import priority

STATUSES = ("new", "claimed", "snoozed", "replied", "resolved", "not_a_complaint")

lang = language()
settings = config()
url = settings.database_url
st.title(t("queue", lang))
st.caption(t("queue_intro", lang, hours=f"{settings.sla_hours:g}"))
me = manager_name(lang)
show_message()
release_expired_holds(url, settings.claim_timeout_seconds)

facets = cached_queue_facets(url)
columns = st.columns(3)
choices = {}
for column, (name, options, kind, default) in zip(
    columns + st.columns(3),
    [
        ("status", STATUSES, "status", list(OPEN_CASE_STATUSES)),
        ("channel", facets["channels"], "channel", []),
        ("post_language", facets["languages"], "lang", []),
        ("topic", facets["topics"], "topic", []),
        ("assignee", facets["assignees"], None, []),
    ],
    strict=False,
):
    widget, remember = lasting_key(f"queue_{name}", default, lang)
    choices[name] = column.multiselect(
        t(name, lang),
        options,
        format_func=(
            (lambda v: topic_label(v, lang)) if kind == "topic"
            else (lambda v, k=kind: value_label(k, v, lang)) if kind
            else str
        ),
        key=widget,
        on_change=remember,
        placeholder=t("all", lang),
    )  # fmt: skip
overdue_widget, remember_overdue = lasting_key("queue_overdue", False, lang)
overdue_only = st.toggle(t("overdue_only", lang), key=overdue_widget, on_change=remember_overdue)

now = utc_now()
narrowed = QueueFilter(
    statuses=tuple(choices["status"] or STATUSES),
    channels=tuple(choices["channel"]),
    languages=tuple(choices["post_language"]),
    topics=tuple(choices["topic"]),
    assignees=tuple(choices["assignee"]),
    overdue_at=now.replace(second=0, microsecond=0) if overdue_only else None,
)
cases = cached_queue(url, narrowed)
if cases.empty:
    st.info(t("queue_empty", lang))
    st.stop()

sla = settings.sla()
# A backfilled case was late before anyone could see it: its clock adds no urgency, so the
# queue leads with complaints that can still be answered in time.
ranks = [
    priority(row.p_negative or 0, row.score, row.comments, row.followers,
             0.0 if row.backfill else sla.elapsed(row.published_at.to_pydatetime(), now),
             settings.sla_hours)
    for row in cases.itertuples()
]  # fmt: skip
cases = cases.assign(
    priority=[rank.value for rank in ranks],
    negativity=[rank.negativity for rank in ranks],
    reach=[rank.reach for rank in ranks],
    urgency=[rank.urgency for rank in ranks],
).sort_values("priority", ascending=False, ignore_index=True)

local_times = cases["published_at"].dt.tz_convert(settings.timezone)
table = pd.DataFrame(
    {
        t("priority", lang): cases["priority"].round(2),
        t("status", lang): [
            value_label("status", status, lang) + (f" · {who}" if who else "")
            for status, who in zip(cases["status"], cases["assignee"], strict=True)
        ],
        t("age", lang): [format_age(moment, now, lang) for moment in cases["published_at"]],
        t("due", lang): [
            "—"
            if pd.isna(due)
            else t("overdue", lang)
            if due < now
            else format_age(now, due.to_pydatetime(), lang)
            for due in cases["due_at"]
        ],  # fmt: skip
        t("channel", lang): [value_label("channel", value, lang) for value in cases["channel"]],
        t("lang_short", lang): [value.upper() for value in cases["language"]],
        t("text", lang): [snippet(row.title, row.body) for row in cases.itertuples()],
        t("label", lang): [
            f"{value_label('label', label or 'neutral', lang)}{'?' if unsure else ''} {p or 0:.0%}"
            for label, unsure, p in zip(
                cases["label"], cases["uncertain"], cases["p_negative"], strict=True
            )
        ],
        t("link", lang): [safe_link(value) for value in cases["url"]],
    }
)
total = cached_queue_count(url, narrowed)
count = format_count(total, lang)
if total > len(cases):
    st.caption(t("queue_count_capped", lang, count=count, shown=len(cases)))
else:
    st.caption(t("queue_count", lang, count=count))
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key=table_key(),
    column_config={
        t("priority", lang): st.column_config.NumberColumn(
            t("priority", lang), help=t("priority_help", lang), width="small", format="%.2f"
        ),
        t("link", lang): st.column_config.LinkColumn(
            t("link", lang), display_text=t("open", lang), width="small"
        ),
        t("text", lang): st.column_config.TextColumn(t("text", lang), width="medium"),
        t("label", lang): st.column_config.TextColumn(
            t("label", lang), width="small", help=t("label_help", lang)
        ),
    },
)
rows = selection.selection.rows if selection else []
if not rows:
    st.caption(t("select_hint", lang))
    st.stop()
show_case(cases.iloc[rows[0]], local_times.iloc[rows[0]], me, settings, lang)
