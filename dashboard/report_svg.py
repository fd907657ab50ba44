"""The report's charts as static SVG: small, offline, the same in a browser, a mail client and
the PDF, and drawn without a browser (no plotly.js, no headless Chrome on the server).

Colours and order are the dashboard's (dashboard.charts); every text is XML-escaped, so a
channel, topic or alert title shows as typed.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from dashboard.charts import CHANNEL_COLOURS, SHARE_COLOUR, _channel_order, integer_step
from dashboard.i18n import t, value_label

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 56, 34
FONT = "'Noto Sans SC','WenQuanYi Zen Hei','PingFang SC','Microsoft YaHei',sans-serif"


def trend_svg(
    daily: pd.DataFrame, markers: pd.DataFrame, zone: str, language: str, weekly: bool = False
) -> str:
    """Negative posts per day (or week) stacked by channel, the negative share as a line on
    the right axis, and a triangle over each day an alert was raised."""
    days = sorted(pd.to_datetime(daily["day"]).unique()) if not daily.empty else []
    title = t("trend_title_week" if weekly else "trend_title", language)
    parts = [_open(title)]
    if not days:
        return "".join(parts) + "</svg>"
    channels = sorted(daily["channel"].unique(), key=_channel_order)
    table = daily.assign(day=pd.to_datetime(daily["day"])).pivot_table(
        index="day", columns="channel", values=["negative", "posts"], aggfunc="sum", fill_value=0
    )
    negative, posts = table["negative"], table["posts"]
    peak = max(1, int(negative.sum(axis=1).max()))
    step = integer_step(peak)
    top = step * -(-peak // step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 7)  # a few days sit at the right, as on the Overview
    offset = LEFT + plot_w - slot * len(days)
    y = lambda value: TOP + plot_h * (1 - value / top)  # noqa: E731
    for tick in range(0, top + 1, step):
        parts.append(f"<line x1='{LEFT}' x2='{LEFT + plot_w}' y1='{y(tick):.1f}' "
                     f"y2='{y(tick):.1f}' stroke='#eeeeee'/>"
                     f"<text x='{LEFT - 6}' y='{y(tick) + 4:.1f}' text-anchor='end'>"
                     f"{tick:,}</text>")  # fmt: skip
    for share_tick in (0, 0.5, 1):
        parts.append(f"<text x='{LEFT + plot_w + 6}' y='{TOP + plot_h * (1 - share_tick) + 4:.1f}'"
                     f">{share_tick:.0%}</text>")  # fmt: skip
    every = max(1, -(-len(days) // 8))
    line = []
    for index, day in enumerate(days):
        x = offset + slot * index
        base = 0
        for channel in channels:
            count = int(negative.at[day, channel]) if channel in negative.columns else 0
            if count:
                parts.append(f"<rect x='{x + slot * 0.1:.1f}' y='{y(base + count):.1f}' "
                             f"width='{slot * 0.8:.1f}' height='{plot_h * count / top:.1f}' "
                             f"fill='{CHANNEL_COLOURS.get(channel, '#888888')}'/>")  # fmt: skip
            base += count
        total = int(posts.loc[day].sum())
        if total:
            line.append(f"{x + slot / 2:.1f},{TOP + plot_h * (1 - base / total):.1f}")
        if index % every == 0 or index == len(days) - 1:
            label = pd.Timestamp(day).strftime("%m-%d" if language == "zh" else "%b %d")
            parts.append(f"<text x='{x + slot / 2:.1f}' y='{HEIGHT - 12}' "
                         f"text-anchor='middle'>{label}</text>")  # fmt: skip
    if line:
        parts.append(f"<polyline points='{' '.join(line)}' fill='none' stroke='{SHARE_COLOUR}' "
                     "stroke-width='2'/>")  # fmt: skip
    parts += _markers(markers, days, zone, weekly, offset, slot)
    legend = [(value_label("channel", c, language), CHANNEL_COLOURS.get(c, "#888888"))
              for c in channels] + [(t("trend_share", language), SHARE_COLOUR)]  # fmt: skip
    parts.append(_legend(legend))
    return "".join(parts) + "</svg>"


def _markers(markers: pd.DataFrame, days: list, zone: str, weekly: bool, offset: float,
             slot: float) -> list[str]:  # fmt: skip
    """A triangle over each day with an alert, its titles as the tooltip."""
    if markers is None or markers.empty:
        return []
    local = markers["opened_at"].dt.tz_convert(zone).dt.tz_localize(None)
    keys = local.dt.to_period("W-SUN").dt.start_time if weekly else local.dt.normalize()
    found = []
    for day, titles in markers.groupby(keys.values)["title"]:
        if pd.Timestamp(day) not in days:
            continue
        x = offset + slot * (days.index(pd.Timestamp(day)) + 0.5)
        tip = escape("; ".join(str(title) for title in titles))
        found.append(f"<path d='M{x - 6:.1f},{TOP - 6} L{x + 6:.1f},{TOP - 6} L{x:.1f},{TOP + 4}"
                     f" Z' fill='{SHARE_COLOUR}'><title>{tip}</title></path>")  # fmt: skip
    return found


def topics_svg(topics: pd.DataFrame, language: str, label) -> str:
    """Complaint candidates per topic as horizontal bars, the most on top."""
    rows = topics.sort_values("complaints", ascending=False).head(10)
    top = 30  # no legend on this one
    height = top + 28 * max(1, len(rows)) + 10
    parts = [_open(t("topics_title", language), height)]
    peak = max(1, int(rows["complaints"].max())) if not rows.empty else 1
    width = WIDTH - 220
    for index, row in enumerate(rows.itertuples()):
        y = top + 28 * index
        length = width * row.complaints / peak
        parts.append(f"<text x='150' y='{y + 15}' text-anchor='end'>"
                     f"{escape(label(row.topic, language))}</text>"
                     f"<rect x='158' y='{y + 3}' width='{length:.1f}' height='18' "
                     f"fill='{CHANNEL_COLOURS['forum']}'/>"
                     f"<text x='{164 + length:.1f}' y='{y + 16}'>"
                     f"{int(row.complaints):,}</text>")  # fmt: skip
    return "".join(parts) + "</svg>"


def _open(title: str, height: int = HEIGHT) -> str:
    """The SVG element with the house font and the chart's title."""
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{height}' "
            f"viewBox='0 0 {WIDTH} {height}' font-family=\"{FONT}\" font-size='12' "
            f"fill='#333333'><text x='0' y='18' font-size='16'>{escape(title)}</text>")  # fmt: skip


def _legend(entries: list[tuple[str, str]]) -> str:
    """Swatches and names in a row under the title."""
    parts, x = [], 0.0
    for name, colour in entries:
        parts.append(f"<rect x='{x:.1f}' y='28' width='12' height='12' fill='{colour}'/>"
                     f"<text x='{x + 16:.1f}' y='38'>{escape(name)}</text>")  # fmt: skip
        x += 28 + 7.5 * len(name) + 6 * sum(1 for c in name if ord(c) > 0x2E80)
    return "".join(parts)
