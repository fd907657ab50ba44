"""What every page shares: the config, one engine, the reader's language, cached reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from data import collection_stats, connect
from data.case_context import CaseContext, case_context
from data.cases import expire_holds
from data.pseudonyms import pseudonym_key
from data.queue import QueueFilter, lane_counts, queue_facets, ranked_cases
from data.sla import SlaPolicy
from data.team import reply_figures
from data.trends import (
    Headline,
    View,
    alert_markers,
    complaint_topics,
    daily_trend,
    headline,
    posts_in_view,
    product_breakdown,
    product_names,
)
from hundredfold.config import Config, load_config

LANGUAGE_KEY = "language"
LASTING_LANGUAGE_KEY = "reader_language"
# Reads are cached this long: a page stays fast for many readers, and is at most a minute old.
CACHE_SECONDS = 60


def config() -> Config:
    """The config, read as the command line reads it ($HUNDREDFOLD_CONFIG, ./hundredfold.toml)."""
    return load_config()


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    """One engine per database for the whole server (schema brought up to date once)."""
    return connect(url)


def language() -> str:
    """The reader's language: the sidebar's choice, else the session's, else ?lang=, else zh.

    The choice is kept under a key of its own too: Streamlit drops a widget's value when a
    page switch comes before the widget is drawn again, and the session would fall back to
    the default language.
    """
    chosen = st.session_state.get(LANGUAGE_KEY)
    if chosen not in LANGUAGES:
        chosen = st.session_state.get(LASTING_LANGUAGE_KEY)
    if chosen not in LANGUAGES:
        requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
        chosen = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    if st.session_state.get(LANGUAGE_KEY) != chosen:  # never once the radio is drawn
        st.session_state[LANGUAGE_KEY] = chosen
    st.session_state[LASTING_LANGUAGE_KEY] = chosen
    return chosen


def keep_language_in_url(language_code: str) -> None:
    """Write the language into the address (?lang=), so a reload or a shared link keeps it."""
    if st.query_params.get("lang") != language_code:
        st.query_params["lang"] = language_code


def lasting_key(key: str, default: object, language_code: str) -> tuple[str, object]:
    """(widget key, on_change) for a widget whose choice outlives a change of language.

    A widget's labels change with the language, and the browser then drops its selection;
    so each language gets its own widget, seeded from and saving to one lasting value.
    """
    st.session_state.setdefault(key, default)
    widget_key = f"{key}.{language_code}"
    if widget_key not in st.session_state:
        st.session_state[widget_key] = st.session_state[key]

    def remember() -> None:
        st.session_state[key] = st.session_state[widget_key]

    return widget_key, remember


def period_bounds(days: int | None, now: datetime) -> tuple[datetime | None, datetime]:
    """[start, end) of the last `days` days (None: all time), end rounded up to the minute.

    Rounding keeps the bounds, and so the cache keys, stable across reruns within a minute.
    """
    end = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return (None if days is None else end - timedelta(days=days)), end


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_trend(url: str, view: View, timezone: str, weekly: bool = False) -> pd.DataFrame:
    """Posts and complaint candidates per day (or week) and channel."""
    return daily_trend(engine_for(url), view, timezone, weekly)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_headline(url: str, view: View) -> Headline:
    """Posts, complaint candidates and positive posts in the view."""
    return headline(engine_for(url), view)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_topics(url: str, view: View) -> pd.DataFrame:
    """Complaint candidates per topic in the view."""
    return complaint_topics(engine_for(url), view)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_products(url: str, view: View) -> pd.DataFrame:
    """Posts and complaint candidates per product in the view."""
    return product_breakdown(engine_for(url), view)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _stored_alert_markers(url: str, view: View) -> pd.DataFrame:
    """Alerts to mark on the trend chart, as stored."""
    return alert_markers(engine_for(url), view)


def cached_alert_markers(url: str, view: View) -> pd.DataFrame:
    """Alerts to mark on the trend chart, each named in the reader's language (the stored
    title is English, for the command line and the receivers)."""
    frame = _stored_alert_markers(url, view).copy()
    frame["title"] = [t(f"alert_kind_{kind}", language()) for kind in frame["kind"]]
    return frame


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_product_names(url: str) -> list[str]:
    """Products posts have been matched to."""
    return product_names(engine_for(url))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_posts(url: str, view: View, complaints_only: bool, limit: int | None) -> pd.DataFrame:
    """The posts behind the view, most reached first."""
    return posts_in_view(engine_for(url), view, complaints_only, limit)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_reply_figures(url: str, view: View, sla_hours: float) -> dict:
    """Share of complaints answered within the SLA and median hours to first reply."""
    return reply_figures(engine_for(url), view.start, view.end, sla_hours)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_queue(url: str, narrowed: QueueFilter, sla: SlaPolicy, sort: str) -> pd.DataFrame:
    """The view's cases in the queue's order, with their priority factors."""
    return ranked_cases(engine_for(url), narrowed, sla, sort)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_lane_counts(url: str, narrowed: QueueFilter) -> dict[str, int]:
    """Cases per lane under the filter."""
    return lane_counts(engine_for(url), narrowed)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_queue_facets(url: str) -> dict[str, list[str]]:
    """Values present among cases, for the filters."""
    return queue_facets(engine_for(url))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_case_context(url: str, case_id: int) -> CaseContext:
    """A case's thread, the author's other posts, duplicates and events."""
    return case_context(engine_for(url), case_id)


@st.cache_resource(ttl=CACHE_SECONDS, show_spinner=False)
def release_expired_holds(url: str, claim_timeout_seconds: int) -> int:
    """Return stale claims and ended snoozes to the pool, at most once a minute per server."""
    return expire_holds(engine_for(url), utc_now(), timedelta(seconds=claim_timeout_seconds))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_source_health(url: str, silent_after_seconds: int) -> list[dict]:
    """Each source's runs, volumes, rate-limit budget and silence."""
    stats = collection_stats(
        engine_for(url), 0.5, utc_now(), timedelta(seconds=silent_after_seconds)
    )
    return stats["sources"]


@st.cache_resource(show_spinner=False)
def cached_pseudonym_key(url: str) -> bytes:
    """The install's key for authors' codes: read (or made) once per server, not per rerun."""
    return pseudonym_key(engine_for(url))


def show_clock(zone: str, lang: str) -> None:
    """Say once on the page which clock its times are on (the configured `timezone`)."""
    from dashboard.safe_text import said  # safe_text reads the i18n table, as this does

    st.caption(said("times_in_zone", lang, zone=zone))
