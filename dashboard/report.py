"""The one-page report an executive forwards: headline figures and charts in one HTML file."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import topics_figure
from dashboard.i18n import t
from dashboard.numbers import format_count, format_share
from data.trends import Headline, View
from hundredfold.config import Config


def report_html(
    now: Headline,
    before: Headline | None,
    replies: dict,
    view: View,
    trend: go.Figure,
    topics: pd.DataFrame,
    settings: Config,
    lang: str,
) -> str:
    """A self-contained HTML page (plotly.js inlined once: it opens without a network)."""
    period = " – ".join(
        moment.astimezone(UTC).strftime("%Y-%m-%d") if moment else "…"
        for moment in (view.start, view.end)
    )
    multiplier = settings.silent_customer_multiplier
    share = replies.get("within_sla_share")
    rows = [
        (t("posts", lang), format_count(now.posts, lang), _change(now.posts, before, "posts")),
        (t("negative_share", lang), format_share(now.negative_share), ""),
        (t("net_sentiment", lang), f"{now.net_sentiment:+.2f}", ""),
        (t("affected", lang), "≈ " + format_count(round(now.negative * multiplier), lang),
         t("affected_help", lang, multiplier=f"{multiplier:g}")),
        (t("within_sla", lang, hours=f"{settings.sla_hours:g}"),
         format_share(share) if share is not None else "—", ""),
    ]  # fmt: skip
    table = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td>"
        f"<td class='note'>{html.escape(note)}</td></tr>"
        for name, value, note in rows
    )
    charts = trend.to_html(full_html=False, include_plotlyjs=True)
    if not topics.empty:
        charts += topics_figure(topics, lang).to_html(full_html=False, include_plotlyjs=False)
    title = html.escape(f"{t('app_title', lang)} · {period}")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        "<style>body{font-family:'Noto Sans SC','WenQuanYi Zen Hei',sans-serif;margin:2em}"
        "th{text-align:left;padding-right:2em}.note{color:#666;font-size:90%}</style></head>"
        f"<body><h1>{title}</h1><table>{table}</table>{charts}"
        f"<p class='note'>{html.escape(generated)}</p></body></html>"
    )


def _change(value: int, before: Headline | None, field: str) -> str:
    """'+12 vs. previous' for a count, or nothing without a previous period."""
    if before is None:
        return ""
    return f"{value - getattr(before, field):+,}"
