"""Plotly figures as pure functions: a DataFrame and a language in, a figure out.

Plotly reads a subset of HTML in every label and hover text: each text put in one goes
through `chart_text`, so a name or title shows as typed.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t, value_label
from dashboard.safe_text import chart_text
from sentiment.topics import TOPICS

# One colour per channel, the same on every chart, distinguishable in print.
CHANNEL_COLOURS = {
    "forum": "#4C78A8",
    "review": "#F58518",
    "social": "#54A24B",
    "email": "#B279A2",
    "news": "#9D755D",
}
SHARE_COLOUR = "#E45756"
FONT = "Noto Sans SC, WenQuanYi Zen Hei, PingFang SC, Microsoft YaHei, sans-serif"


def _layout(figure: go.Figure, title: str) -> go.Figure:
    """The house style: a title, a legend on top, no clutter."""
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        font={"family": FONT, "size": 13},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "title": None,
            "traceorder": "normal",
        },
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        plot_bgcolor="white",
        hovermode="x unified",
    )
    figure.update_xaxes(showgrid=False)
    figure.update_yaxes(gridcolor="#eeeeee", rangemode="tozero")
    return figure


def trend_figure(
    daily: pd.DataFrame,
    language: str,
    weekly: bool = False,
    markers: pd.DataFrame | None = None,
    timezone: str = "UTC",
) -> go.Figure:
    """Negative posts per day stacked by channel, the negative share as a line, alert markers.

    `daily` has one row per day and channel: day, channel, posts, negative; `markers` one
    row per alert: opened_at (UTC), kind, title — drawn as triangles on top of the chart.
    Days are dates (one bar a day wide, whole-day ticks), counts whole numbers, so one day of
    data reads as one day and a year as a year.
    """
    figure = go.Figure()
    width = (7 if weekly else 1) * DAY_MS * 0.8
    days = pd.to_datetime(daily["day"])
    for channel in sorted(daily["channel"].unique(), key=_channel_order):
        rows = daily[daily["channel"] == channel].assign(day=days).sort_values("day")
        figure.add_bar(
            x=_dates(rows["day"]),
            y=rows["negative"],
            width=width,
            name=chart_text(value_label("channel", channel, language)),
            marker_color=CHANNEL_COLOURS.get(channel, "#888888"),
            hovertemplate="%{y:,d}",
        )
    totals = (
        daily.assign(day=days).groupby("day", as_index=False)[["posts", "negative"]].sum()
    ).sort_values("day")
    share = totals["negative"] / totals["posts"].where(totals["posts"] > 0)
    figure.add_scatter(
        x=_dates(totals["day"]),
        y=share,
        name=t("trend_share", language),
        yaxis="y2",
        mode="lines+markers" if len(totals) < 3 else "lines",
        line={"color": SHARE_COLOUR, "width": 2},
        hovertemplate="%{y:.0%}",
    )
    if markers is not None and not markers.empty:
        local = markers["opened_at"].dt.tz_convert(timezone).dt.tz_localize(None)
        figure.add_scatter(
            x=_dates(local.dt.normalize() if not weekly
                     else local.dt.to_period("W-SUN").dt.start_time),
            y=[0.97] * len(markers),
            yaxis="y2",
            mode="markers",
            name=t("alert_markers", language),
            marker={"symbol": "triangle-down", "size": 12, "color": SHARE_COLOUR},
            text=[chart_text(title) for title in markers["title"]],
            hovertemplate="%{text}<extra></extra>",
        )  # fmt: skip
    peak = int(daily.groupby("day")["negative"].sum().max()) if not daily.empty else 0
    figure.update_layout(
        barmode="stack",
        yaxis={"title": t("complaints", language), "tickformat": ",d",
               "dtick": integer_step(peak), "rangemode": "tozero"},
        yaxis2={
            "title": t("trend_share", language),
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "range": [0, 1],
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "showgrid": False,
        },
        xaxis=date_axis(days, language, weekly),
    )  # fmt: skip
    _layout(figure, t("trend_title_week" if weekly else "trend_title", language))
    # Not "x unified": with it a click on a stacked bar selects erratically or not at all
    # (streamlit#8766), and clicking a day is how the Overview narrows to it.
    return figure.update_layout(hovermode="closest")


DAY_MS = 86_400_000
MIN_DAYS_SHOWN = 7  # fewer days than this are drawn inside a week, not stretched across it


def _dates(values: pd.Series) -> list[str]:
    """Days as 'YYYY-MM-DD': what the axis, the markers and a clicked point all agree on."""
    return [stamp.strftime("%Y-%m-%d") for stamp in pd.to_datetime(values)]


def date_axis(days: pd.Series, language: str, weekly: bool = False) -> dict:
    """A date axis with whole-day (or whole-week) ticks, never one label twice, upright."""
    step = 7 if weekly else 1
    axis: dict = {"title": None, "type": "date", "tickangle": 0, "showgrid": False,
                  "tickformat": "%m-%d" if language == "zh" else "%b %d"}  # fmt: skip
    if days.empty:
        return axis
    first, last = pd.to_datetime(days.min()), pd.to_datetime(days.max())
    span = (last - first).days // step + 1
    if span < MIN_DAYS_SHOWN:  # a fresh install: a few bars at the right of a week
        first = last - pd.Timedelta(days=step * (MIN_DAYS_SHOWN - 1))
        span = MIN_DAYS_SHOWN
    half = pd.Timedelta(days=step / 2)
    axis["range"] = [(first - half).strftime("%Y-%m-%d %H:%M"),
                     (last + half).strftime("%Y-%m-%d %H:%M")]  # fmt: skip
    if span <= 16:
        axis["dtick"] = step * DAY_MS
        axis["tick0"] = last.strftime("%Y-%m-%d")
    elif (last - first).days > 200:  # a year: months, with the year
        axis["dtick"] = "M1" if (last - first).days < 400 else "M3"
        axis["tickformat"] = "%Y-%m" if language == "zh" else "%b %Y"
    else:
        axis["dtick"] = step * DAY_MS * (7 if not weekly else 4)
    return axis


def integer_step(peak: float) -> int:
    """A tick step for counts: whole numbers (1, 2, 5, 10, 20, 50...), about five ticks."""
    target = max(1.0, peak / 5)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= target:
                return factor * magnitude
        magnitude *= 10


def topics_figure(topics: pd.DataFrame, language: str) -> go.Figure:
    """Complaint candidates per topic as horizontal bars, the largest on top.

    `topics` has one row per topic key: topic, complaints.
    """
    ordered = topics.sort_values("complaints")
    labels = [chart_text(topic_label(key, language)) for key in ordered["topic"]]
    return _ranked_bars(ordered["complaints"], labels, CHANNEL_COLOURS["forum"],
                        t("topics_title", language))  # fmt: skip


def products_figure(products: pd.DataFrame, language: str) -> go.Figure:
    """Complaint candidates per product as horizontal bars, the most on top.

    `products` has one row per product: product, posts, negative.
    """
    ordered = products.sort_values("negative")
    labels = [chart_text(name) for name in ordered["product"]]  # product names are the config's
    return _ranked_bars(ordered["negative"], labels, CHANNEL_COLOURS["review"],
                        t("products_title", language))  # fmt: skip


def _ranked_bars(counts: pd.Series, labels: list[str], colour: str, title: str) -> go.Figure:
    """Horizontal bars in the order given (ascending: plotly draws the last on top)."""
    figure = go.Figure(
        go.Bar(
            x=counts,
            y=labels,
            orientation="h",
            marker_color=colour,
            text=counts,
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_layout(hovermode="y", showlegend=False, height=80 + 36 * max(1, len(labels)))
    figure.update_xaxes(visible=False)
    return _layout(figure, title)


def topic_label(key: str, language: str) -> str:
    """A topic key as a reader calls it in `language`."""
    topic = TOPICS.get(key)
    if topic is None:
        return key
    return topic.label_zh if language == "zh" else topic.label_en


def _channel_order(channel: str) -> int:
    """Channels in a fixed order so colours and stacking never move between views."""
    order = list(CHANNEL_COLOURS)
    return order.index(channel) if channel in order else len(order)
