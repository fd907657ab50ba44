"""Sources, for support leads: is every collector healthy, and which need a look."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.context import cached_source_health, config, language, utc_now
from dashboard.i18n import STRINGS, t, value_label
from dashboard.numbers import format_ago, format_duration, local_time
from dashboard.sign_in import page_actor
from dashboard.source_problems import problem_text

lang = language()
settings = config()
page_actor("sources")
st.title(t("sources", lang))
window = format_duration(settings.silent_after_seconds, lang)
st.caption(t("sources_intro", lang, window=window))
health = cached_source_health(settings.database_url, settings.silent_after_seconds)
if not health:
    st.info(t("no_sources", lang))
    st.stop()

now = utc_now()


def ago(moment: str | None) -> str:
    """'3 h ago' for an ISO timestamp, '—' for none."""
    return format_ago(pd.Timestamp(moment).to_pydatetime(), now, lang) if moment else "—"


def kind_label(kind: str) -> str:
    """A source's kind as a reader calls it ('RSS feed'); a plugin's kind as it is named."""
    return t(f"kind_{kind}", lang) if f"kind_{kind}" in STRINGS else kind


def last_error(source: dict) -> str:
    """When the last error came and what it was, in the reader's words where it is ours."""
    if not source["last_error"]:
        return "—"
    problem = problem_text(source["last_error"], lang)
    return t("source_error_detail", lang, ago=ago(source["last_error_at"]), problem=problem)


def state_of(source: dict) -> str:
    """One word for how the source is doing, the worst first."""
    if source["last_status"] == "error":
        return t("state_error", lang)
    if source["silent"]:
        return t("state_silent", lang)
    if source["last_status"] == "warning":
        return t("state_warning", lang)
    if source["last_status"] is None:
        return t("state_never", lang)
    return t("state_ok", lang)


def budget(source: dict) -> str:
    """The rate-limit budget left, where the source has one."""
    limit = source.get("rate_limit") or {}
    if not limit:
        return "—"
    return f"{limit.get('remaining', '?')} / {limit.get('used', 0) + limit.get('remaining', 0)}"


table = pd.DataFrame(
    {
        t("source", lang): [s["name"] for s in health],
        t("state", lang): [state_of(s) for s in health],
        t("kind", lang): [kind_label(s["kind"]) for s in health],
        t("channel", lang): [value_label("channel", s["channel"], lang) for s in health],
        t("posts_24h", lang): [s["posts_last_24h"] for s in health],
        t("posts", lang): [s["posts"] for s in health],
        t("last_run", lang): [local_time(s["last_run_at"], settings.timezone) for s in health],
        t("last_success", lang): [ago(s["last_success_at"]) for s in health],
        t("last_error", lang): [last_error(s) for s in health],
        t("rate_budget", lang): [budget(s) for s in health],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
