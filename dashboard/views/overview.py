"""Overview, for executives: how much is said, how negative, about what, and the trend."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import topics_figure, trend_figure
from dashboard.context import (
    cached_headline,
    cached_topics,
    cached_trend,
    config,
    language,
    lasting_key,
    period_bounds,
    utc_now,
)
from dashboard.i18n import t
from dashboard.numbers import format_count, format_share, share_delta

PERIODS = {"period_7": 7, "period_30": 30, "period_90": 90, "period_all": None}

lang = language()
settings = config()
url, threshold = settings.database_url, settings.negative_threshold
st.title(t("overview", lang))
period_widget, remember_period = lasting_key("overview_period", "period_30", lang)
period_key = st.radio(
    t("period", lang),
    options=list(PERIODS),
    format_func=lambda key: t(key, lang),
    horizontal=True,
    key=period_widget,
    on_change=remember_period,
)
days = PERIODS[period_key]
start, end = period_bounds(days, utc_now())
current = cached_headline(url, start, end, threshold)
previous = cached_headline(url, start - (end - start), start, threshold) if start else None

posts_column, share_column, complaints_column, affected_column = st.columns(4)
posts_column.metric(
    t("posts", lang),
    format_count(current.posts, lang),
    delta=format_count(current.posts - previous.posts, lang, signed=True) if previous else None,
    delta_color="off",
)
share_column.metric(
    t("negative_share", lang),
    format_share(current.negative_share),
    delta=share_delta(current.negative_share, previous.negative_share) if previous else None,
    delta_color="inverse",
    help=t("vs_previous", lang),
)
complaints_column.metric(
    t("complaints", lang),
    format_count(current.negative, lang),
    delta=format_count(current.negative - previous.negative, lang, signed=True)
    if previous
    else None,
    delta_color="inverse",
    help=t("complaints_help", lang, threshold=threshold),
)
multiplier = settings.silent_customer_multiplier
affected_column.metric(
    t("affected", lang),
    "≈ " + format_count(round(current.negative * multiplier), lang),
)
affected_column.caption(t("affected_help", lang, multiplier=f"{multiplier:g}"))

trend = cached_trend(url, start, end, threshold, settings.timezone)
if trend.empty:
    st.info(t("no_posts", lang))
else:
    st.plotly_chart(trend_figure(trend, lang), width="stretch", key="trend_chart")
    topics = cached_topics(url, start, end, threshold)
    if topics.empty:
        st.caption(t("no_topics", lang))
    else:
        st.plotly_chart(topics_figure(topics, lang), width="stretch", key="topics_chart")
