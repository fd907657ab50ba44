"""Overview, for executives: is it getting better or worse, where, and what it costs."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard.charts import products_figure, topic_label, topics_figure, trend_figure
from dashboard.context import (
    cached_alert_markers,
    cached_headline,
    cached_product_names,
    cached_products,
    cached_pseudonym_key,
    cached_reply_figures,
    cached_topics,
    cached_trend,
    config,
    language,
    lasting_key,
    period_bounds,
    utc_now,
)
from dashboard.i18n import t, value_label
from dashboard.numbers import format_count, format_share, share_delta
from dashboard.overview_parts import posts_section, reply_metrics, report_download
from dashboard.sign_in import page_actor
from data.trends import View
from sentiment.topics import TOPICS

PERIODS = {"period_7": 7, "period_30": 30, "period_90": 90, "period_all": None}
CHANNELS = ("forum", "review", "social", "email", "news")

lang = language()
settings = config()
reader = page_actor("overview")
url = settings.database_url
st.title(t("overview", lang))

period_column, grain_column = st.columns([3, 1])
period_widget, remember_period = lasting_key("overview_period", "period_30", lang)
period_key = period_column.radio(
    t("period", lang), options=list(PERIODS), format_func=lambda key: t(key, lang),
    horizontal=True, key=period_widget, on_change=remember_period,
)  # fmt: skip
grain_widget, remember_grain = lasting_key("overview_grain", "day", lang)
grain = grain_column.radio(
    t("grain", lang), options=["day", "week"], format_func=lambda key: t(f"grain_{key}", lang),
    horizontal=True, key=grain_widget, on_change=remember_grain,
)  # fmt: skip

filters = st.columns(3)
chosen = {}
for column, (name, options, label) in zip(
    filters,
    [("channel", CHANNELS, lambda v: value_label("channel", v, lang)),
     ("topic", list(TOPICS), lambda v: topic_label(v, lang)),
     ("product", cached_product_names(url), str)],
    strict=True,
):  # fmt: skip
    widget, remember = lasting_key(f"overview_{name}", [], lang)
    chosen[name] = column.multiselect(
        t(name, lang), options, format_func=label, key=widget, on_change=remember,
        placeholder=t("all", lang),
    )  # fmt: skip

start, end = period_bounds(PERIODS[period_key], utc_now())
zone = ZoneInfo(settings.timezone)
day = st.session_state.get("overview_day")
if day:  # a day clicked on the trend narrows everything to it
    start = datetime.combine(datetime.fromisoformat(day).date(), time(), zone)
    end = start + timedelta(days=1)
view = View(start, end, settings.negative_threshold, tuple(chosen["channel"]),
            tuple(chosen["topic"]), tuple(chosen["product"]))  # fmt: skip
previous = replace(view, start=start - (end - start), end=start) if start else None

current = cached_headline(url, view)
before = cached_headline(url, previous) if previous else None
if day:
    st.info(t("drilled_day", lang, day=day))
    if st.button(t("clear_day", lang), key="clear_day"):
        del st.session_state["overview_day"]
        st.rerun()

columns = st.columns(4)
columns[0].metric(
    t("posts", lang), format_count(current.posts, lang),
    delta=format_count(current.posts - before.posts, lang, signed=True) if before else None,
    delta_color="off",
)  # fmt: skip
columns[1].metric(
    t("negative_share", lang), format_share(current.negative_share),
    delta=share_delta(current.negative_share, before.negative_share) if before else None,
    delta_color="inverse", help=t("complaints_help", lang, threshold=view.threshold),
)  # fmt: skip
columns[2].metric(
    t("net_sentiment", lang), f"{current.net_sentiment:+.2f}",
    delta=f"{current.net_sentiment - before.net_sentiment:+.2f}" if before else None,
    help=t("net_sentiment_help", lang),
)  # fmt: skip
multiplier = settings.silent_customer_multiplier
columns[3].metric(
    t("affected", lang), "≈ " + format_count(round(current.negative * multiplier), lang),
    delta=format_count(round((current.negative - before.negative) * multiplier), lang,
                       signed=True) if before else None,
    delta_color="inverse",
)  # fmt: skip
columns[3].caption(t("affected_help", lang, multiplier=f"{multiplier:g}"))
replies = cached_reply_figures(url, view, settings.sla_hours)
replies_before = (
    cached_reply_figures(url, previous, settings.sla_hours)
    if previous else None
)  # fmt: skip
reply_metrics(st.columns(4), replies, replies_before, settings.sla_hours, lang)

trend = cached_trend(url, view, settings.timezone, grain == "week")
if trend.empty:
    st.info(t("no_posts", lang))
    st.stop()
markers = cached_alert_markers(url, view)
trend_chart = trend_figure(trend, lang, grain == "week", markers, settings.timezone)
clicked = st.plotly_chart(
    trend_chart, width="stretch", key="trend_chart", on_select="rerun", selection_mode="points"
)
points = clicked.selection.points if clicked and grain == "day" and not day else []
if points:
    st.session_state["overview_day"] = str(points[0]["x"])[:10]
    st.rerun()

topics = cached_topics(url, view)
products = cached_products(url, view)
left, right = st.columns(2)
if topics.empty:
    left.caption(t("no_topics", lang))
else:
    left.plotly_chart(topics_figure(topics, lang), width="stretch", key="topics_chart")
if not products.empty:
    right.plotly_chart(products_figure(products, lang), width="stretch", key="products_chart")

# Executives read authors as stable codes unless [sign_in] executives_see_authors allows names.
hide_authors = reader.role == "executive" and not settings.sign_in.executives_see_authors
author_key = cached_pseudonym_key(url) if hide_authors else None
posts_section(url, view, current.posts, topics, settings.timezone, lang, chosen, reader,
              author_key)  # fmt: skip
report_download(current, before, replies, view, trend_chart, topics, products, settings, lang)
