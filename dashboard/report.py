"""The one-page report an executive forwards: every headline figure with its change, the
period and filters that made it, the trend and the topics, as HTML (a few kilobytes, charts
as inline SVG) and as PDF (WeasyPrint: no browser needed on the server)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine

from dashboard.alert_text import alert_sentence
from dashboard.charts import topic_label
from dashboard.headline_figures import Figure, headline_figures
from dashboard.i18n import t, value_label
from dashboard.i18n_charts import tc
from dashboard.report_svg import topics_svg, trend_svg
from data.team import reply_figures
from data.trends import View, alert_markers, complaint_topics, daily_trend, headline
from hundredfold.config import Config

STYLE = (
    "body{font-family:'Noto Sans SC','WenQuanYi Zen Hei','PingFang SC',sans-serif;margin:2em;"
    "color:#222;max-width:760px}h1{font-size:22px;margin:0 0 4px}.meta{color:#555;margin:2px 0}"
    "table{border-collapse:collapse;margin:14px 0;width:100%}th,td{padding:5px 8px;"
    "border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}"
    ".good{color:#1a7f37}.bad{color:#c62828}.note{color:#666;font-size:85%}"
    "svg{display:block;margin:12px 0}@page{size:A4;margin:14mm}"
)


@dataclass(frozen=True)
class Report:
    """What one report shows: the figures, the views behind them and the charts' data."""

    figures: list[Figure]
    view: View
    previous: View | None
    trend: pd.DataFrame
    markers: pd.DataFrame
    topics: pd.DataFrame
    zone: str
    lang: str
    generated_at: datetime
    weekly: bool = False
    brand: str = ""


def build_report(
    engine: Engine, settings: Config, view: View, lang: str, now: datetime, weekly: bool = False
) -> Report:
    """The report of `view` against the period of the same length before it, read from the
    database as the Overview reads it (for `hundredfold report` and the digest)."""
    previous = replace(view, start=view.start - (view.end - view.start), end=view.start) if (
        view.start is not None and view.end is not None) else None  # fmt: skip
    current, before = headline(engine, view), headline(engine, previous) if previous else None
    replies = reply_figures(engine, view.start, view.end, settings.sla_hours)
    replies_before = (
        reply_figures(engine, previous.start, previous.end, settings.sla_hours)
        if previous else None
    )  # fmt: skip
    figures = headline_figures(current, before, replies, replies_before, settings, lang)
    trend = daily_trend(engine, view, settings.timezone, weekly)
    markers = said_markers(alert_markers(engine, view), lang, settings, now)
    return Report(figures, view, previous, trend, markers,
                  complaint_topics(engine, view), settings.timezone, lang, now, weekly,
                  settings.brand_name)  # fmt: skip


def said_markers(markers: pd.DataFrame, lang: str, settings: Config, now: datetime):
    """The alert markers with each title said in `lang` (the stored one is English)."""
    if markers.empty:
        return markers
    sentences = [
        alert_sentence({"kind": row.kind, "dedupe_key": row.dedupe_key,
                        "details": row.details if isinstance(row.details, dict) else {}},
                       lang, settings, now)
        for row in markers.itertuples()
    ]  # fmt: skip
    return markers.assign(title=sentences)


def period_text(view: View | None, zone: str, lang: str) -> str:
    """'2026-11-26 – 2026-12-02 (Asia/Shanghai)': the local days a view covers, both included."""
    if view is None:
        return "—"
    if view.start is None:
        return tc("report_all_time", lang)
    local = ZoneInfo(zone)
    first = view.start.astimezone(local)
    # An end at local midnight closes the day before; a rolling end (now) is its own day.
    last = view.end.astimezone(local) if view.end else first
    if last.time() == datetime.min.time() and last > first:
        last -= timedelta(days=1)
    return f"{first:%Y-%m-%d} – {last:%Y-%m-%d} ({zone})"


def filters_text(view: View, lang: str) -> str:
    """The channels, topics and products the view is narrowed to, or 'none'."""
    parts = []
    if view.channels:
        names = ", ".join(value_label("channel", c, lang) for c in view.channels)
        parts.append(f"{t('channel', lang)}: {names}")
    if view.topics:
        parts.append(f"{t('topic', lang)}: {', '.join(topic_label(k, lang) for k in view.topics)}")
    if view.products:
        parts.append(f"{t('product', lang)}: {', '.join(view.products)}")
    return "; ".join(parts) or tc("report_no_filters", lang)


def report_html(report: Report) -> str:
    """A self-contained HTML page: no script, no font or image from a network."""
    lang, zone = report.lang, report.zone
    period = period_text(report.view, zone, lang)
    rows = "".join(
        f"<tr><td>{escape(f.label)}</td><td><b>{escape(f.value)}</b></td>"
        f"<td>{escape(f.before or '—')}</td><td class='{_tone(f)}'>{escape(f.change or '—')}"
        f"</td></tr>" + (f"<tr><td colspan='4' class='note'>{escape(f.note)}</td></tr>"
                         if f.note else "")
        for f in report.figures
    )  # fmt: skip
    head = "".join(f"<th>{escape(tc(key, lang))}</th>" for key in
                   ("report_figure", "report_now", "report_before", "report_change"))  # fmt: skip
    charts = trend_svg(report.trend, report.markers, zone, lang, report.weekly)
    if not report.topics.empty:
        charts += topics_svg(report.topics, lang, topic_label)
    alerts = ""
    if not report.markers.empty:
        items = "".join(
            f"<li>{moment:%m-%d %H:%M} · {escape(str(title))}</li>"
            for moment, title in zip(report.markers["opened_at"].dt.tz_convert(zone),
                                     report.markers["title"], strict=True)
        )  # fmt: skip
        alerts = f"<h2>{escape(tc('report_alerts', lang))}</h2><ul>{items}</ul>"
    brand = f"{report.brand} · " if report.brand else ""
    title = escape(f"{brand}{tc('report_title', lang)}")
    generated = report.generated_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    meta = [
        (tc("report_period", lang), period),
        (tc("report_previous", lang), period_text(report.previous, zone, lang)),
        (tc("report_filters", lang), filters_text(report.view, lang)),
    ]
    lines = "".join(f"<p class='meta'>{escape(name)}: {escape(value)}</p>" for name, value in meta)
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
        f"<p class='meta'>{escape(t('app_title', lang))}</p>{lines}"
        f"<table><tr>{head}</tr>{rows}</table>"
        f"{charts}{alerts}<p class='note'>"
        f"{escape(tc('report_generated', lang, at=f'{generated} ({zone})'))}</p></body></html>"
    )


def report_pdf(page: str) -> bytes:
    """The report page as a PDF (A4), fonts from the system (a Chinese one for Chinese)."""
    from weasyprint import HTML  # imported here: a second or so, only when a PDF is asked for

    return HTML(string=page).write_pdf()


def _tone(figure: Figure) -> str:
    """'good' or 'bad' for a change that moved the good or the bad way, else ''."""
    if not figure.change or not figure.better or figure.change[:1] not in "+\u2212":
        return ""  # no change, or one that is neither good nor bad
    rose = figure.change.startswith("+")
    return "good" if rose == (figure.better == "up") else "bad"
