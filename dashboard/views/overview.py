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
from dashboard.headline_figures import headline_figures
from dashboard.i18n import t, value_label
from dashboard.i18n_charts import tc
from dashboard.overview_parts import posts_section, report_download, show_figures
from dashboard.report import said_markers
from dashboard.sign_in import page_actor
from data.trends import View
from sentiment.topics import TOPICS

PERIODS = {"period_7": 7, "period_30": 30, "period_90": 90, "period_all": None,
           "period_custom": None}  # fmt: skip
CHANNELS = ("forum", "review", "social", "email", "news")

lang = language()
settings = config()
reader = page_actor("overview")
url = settings.database_url
st.title(t("overview", lang))

period_column, grain_column = st.columns([3, 1])
period_widget, remember_period = lasting_key("overview_period", "period_30", lang)
period_key = period_column.radio(
    t("period", lang), options=list(PERIODS), format_func=lambda key: tc(key, lang),
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
if period_key == "period_custom":  # whole local days, both ends included
    today = utc_now().astimezone(zone).date()
    # Not lasting_key: a range input takes its range as `value` (a preset key would not do).
    chosen_dates = st.session_state.setdefault("overview_dates", (today - timedelta(days=6), today))
    dates_widget = f"overview_dates.{lang}"

    def remember_dates() -> None:
        st.session_state["overview_dates"] = st.session_state[dates_widget]

    picked = period_column.date_input(
        tc("date_range", lang), value=chosen_dates, max_value=today, key=dates_widget,
        on_change=remember_dates, help=tc("date_range_help", lang, zone=settings.timezone),
        format="YYYY-MM-DD",
    )  # fmt: skip
    first, last = (tuple(picked) + tuple(picked))[:2] if picked else (today, today)
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
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

replies = cached_reply_figures(url, view, settings.sla_hours)
replies_before = cached_reply_figures(url, previous, settings.sla_hours) if previous else None
figures = headline_figures(current, before, replies, replies_before, settings, lang)
show_figures(figures)

trend = cached_trend(url, view, settings.timezone, grain == "week")
if trend.empty:
    st.info(t("no_posts", lang))
    st.stop()
markers = said_markers(cached_alert_markers(url, view), lang, settings, utc_now())
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
report_download(figures, view, previous, trend, markers, topics, settings, lang,
                grain == "week")  # fmt: skip
