"""Sources, for support leads: is every collector healthy, and which need a look."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.context import cached_source_health, config, language, utc_now
from dashboard.i18n import t, value_label
from dashboard.numbers import format_age
from dashboard.sign_in import page_actor

lang = language()
settings = config()
page_actor("sources")
st.title(t("sources", lang))
st.caption(t("sources_intro", lang, window=timedelta(seconds=settings.silent_after_seconds)))
health = cached_source_health(settings.database_url, settings.silent_after_seconds)
if not health:
    st.info(t("no_sources", lang))
    st.stop()

now = utc_now()


def ago(moment: str | None) -> str:
    """'3 h' for an ISO timestamp, '—' for none."""
    return format_age(pd.Timestamp(moment).to_pydatetime(), now, lang) if moment else "—"


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
        t("kind", lang): [s["kind"] for s in health],
        t("channel", lang): [value_label("channel", s["channel"], lang) for s in health],
        t("posts_24h", lang): [s["posts_last_24h"] for s in health],
        t("posts", lang): [s["posts"] for s in health],
        t("last_success", lang): [ago(s["last_success_at"]) for s in health],
        t("last_error", lang): [
            f"{ago(s['last_error_at'])} · {s['last_error']}" if s["last_error"] else "—"
            for s in health
        ],
        t("rate_budget", lang): [budget(s) for s in health],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
