"""The queue's table: one row per case, with its lane, countdown and the model's judgement."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard.charts import topic_label
from dashboard.i18n import t, value_label
from dashboard.numbers import format_age
from dashboard.posts import safe_link, snippet

CURRENT_MARK = "▶"


def format_span(seconds: float, lang: str) -> str:
    """A duration as a reader says it: '45 分钟', '2 h 13 min', '3 d'."""
    minutes = int(abs(seconds) // 60)
    if minutes < 60:
        return t("span_m", lang, m=minutes)
    if minutes < 48 * 60:
        return t("span_hm", lang, h=minutes // 60, m=minutes % 60)
    return t("span_d", lang, d=minutes // (24 * 60))


def format_time_left(seconds: float | None, lang: str) -> str:
    """'2 h 13 min left', '35 min overdue', or '—' once answered."""
    if seconds is None or pd.isna(seconds):
        return "—"
    if seconds >= 0:
        return t("left_span", lang, span=format_span(seconds, lang))
    return t("overdue_span", lang, span=format_span(seconds, lang))


def status_text(status: str, assignee: str | None, lang: str) -> str:
    """'claimed · ana', or the status alone when nobody holds the case."""
    label = value_label("status", status, lang)
    return f"{label} · {assignee}" if assignee and not pd.isna(assignee) else label


def display_table(cases: pd.DataFrame, current: int | None, now: datetime, lang: str):
    """The rows a manager reads, in the queue's order."""
    return pd.DataFrame(
        {
            t("current", lang): [CURRENT_MARK if case_id == current else ""
                                 for case_id in cases["case_id"]],
            t("priority", lang): cases["priority"].round(2),
            t("time_left", lang): [format_time_left(value, lang) for value in cases["time_left_s"]],
            t("lane", lang): [value_label("lane", lane, lang) for lane in cases["lane"]],
            t("status", lang): [status_text(status, who, lang)
                                for status, who in zip(cases["status"], cases["assignee"],
                                                       strict=True)],
            t("age", lang): [format_age(moment, now, lang) for moment in cases["published_at"]],
            t("channel", lang): [value_label("channel", value, lang) for value in cases["channel"]],
            t("lang_short", lang): [str(value).upper() for value in cases["language"]],
            t("topics", lang): [("、" if lang == "zh" else ", ").join(
                topic_label(topic, lang) for topic in topics) or "—" for topics in cases["topics"]],
            t("text", lang): [snippet(row.title, row.body) for row in cases.itertuples()],
            t("label", lang): [
                f"{value_label('label', label or 'neutral', lang)}{'?' if unsure else ''} "
                f"{0 if pd.isna(p) else p:.0%}"
                for label, unsure, p in zip(cases["label"], cases["uncertain"],
                                            cases["p_negative"], strict=True)
            ],
            t("link", lang): [safe_link(value) for value in cases["url"]],
        }
    )  # fmt: skip


def column_config(lang: str) -> dict:
    """How each column is shown: numbers, links, widths, help on the ranking."""
    return {
        t("current", lang): st.column_config.TextColumn(t("current", lang), width="small"),
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
    }
