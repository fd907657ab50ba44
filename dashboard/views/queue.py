"""Reply queue, for community managers: the complaints to answer, newest first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.context import (
    cached_queue,
    cached_queue_count,
    cached_queue_facets,
    config,
    language,
    lasting_key,
    utc_now,
)
from dashboard.i18n import t, value_label
from dashboard.numbers import format_age, format_count
from dashboard.posts import safe_link, snippet

lang = language()
settings = config()
url = settings.database_url
st.title(t("queue", lang))
st.caption(t("queue_intro", lang))

facets = cached_queue_facets(url)
channel_column, language_column = st.columns(2)
channel_widget, remember_channels = lasting_key("queue_channels", [], lang)
language_widget, remember_languages = lasting_key("queue_languages", [], lang)
channels = channel_column.multiselect(
    t("channel", lang),
    facets["channels"],
    format_func=lambda value: value_label("channel", value, lang),
    key=channel_widget,
    on_change=remember_channels,
    placeholder=t("all", lang),
)
languages = language_column.multiselect(
    t("post_language", lang),
    facets["languages"],
    format_func=lambda value: value_label("lang", value, lang),
    key=language_widget,
    on_change=remember_languages,
    placeholder=t("all", lang),
)
cases = cached_queue(url, tuple(channels), tuple(languages))
if cases.empty:
    st.info(t("queue_empty", lang))
    st.stop()

now = utc_now()
local_times = cases["published_at"].dt.tz_convert(settings.timezone)
table = pd.DataFrame(
    {
        t("published", lang): local_times.dt.strftime("%m-%d %H:%M"),
        t("age", lang): [format_age(moment, now, lang) for moment in cases["published_at"]],
        t("channel", lang): [value_label("channel", value, lang) for value in cases["channel"]],
        t("lang_short", lang): [value.upper() for value in cases["language"]],
        t("author", lang): cases["author"],
        t("text", lang): [snippet(row.title, row.body) for row in cases.itertuples()],
        t("label", lang): [
            value_label("label", label or "neutral", lang) + ("?" if uncertain else "")
            for label, uncertain in zip(cases["label"], cases["uncertain"], strict=True)
        ],
        t("confidence", lang): (cases["p_negative"].fillna(0) * 100).round(),
        t("link", lang): [safe_link(value) for value in cases["url"]],
    }
)
total = cached_queue_count(url, tuple(channels), tuple(languages))
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
    key="queue_table",
    column_config={
        t("confidence", lang): st.column_config.ProgressColumn(
            t("confidence", lang), format="%d%%", min_value=0, max_value=100, width="small"
        ),
        t("link", lang): st.column_config.LinkColumn(
            t("link", lang), display_text=t("open", lang), width="small"
        ),
        t("text", lang): st.column_config.TextColumn(t("text", lang), width="medium"),
        t("channel", lang): st.column_config.TextColumn(t("channel", lang), width="small"),
        t("post_language", lang): st.column_config.TextColumn(
            t("post_language", lang), width="small"
        ),
        t("age", lang): st.column_config.TextColumn(t("age", lang), width="small"),
        t("lang_short", lang): st.column_config.TextColumn(
            t("lang_short", lang), width="small", help=t("post_language", lang)
        ),
        t("label", lang): st.column_config.TextColumn(
            t("label", lang), width="small", help=t("label_help", lang)
        ),
    },
)

rows = selection.selection.rows if selection else []
if not rows:
    st.caption(t("select_hint", lang))
    st.stop()
case = cases.iloc[rows[0]]
with st.container(border=True):
    if case["title"]:
        st.subheader(case["title"], anchor=False)
    st.caption(
        f"{case['author'] or '—'} · {case['source']} · "
        f"{value_label('channel', case['channel'], lang)} · "
        f"{local_times.iloc[rows[0]]:%Y-%m-%d %H:%M}"
    )
    st.text(case["body"])  # always as text: a post is never rendered as HTML or Markdown
    label = value_label("label", case["label"] or "neutral", lang)
    st.caption(t("judged_by", lang, label=label, model=case["model"], p=case["p_negative"] or 0))
    if case["uncertain"]:
        st.warning(t("uncertain", lang))
    link = safe_link(case["url"])
    if link:
        st.link_button(t("open_original", lang), link)
