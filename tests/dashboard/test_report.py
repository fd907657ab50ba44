"""The one-page report: every headline figure with its change, the period and filters, the
trend and topics, in the reader's language, as HTML and as PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from dashboard.charts import topic_label
from dashboard.headline_figures import headline_figures
from dashboard.report import Report, report_html, report_pdf
from data.trends import Headline, View
from hundredfold.config import Config
from tests.conftest import require
from tests.dashboard.hostile_store import hostile

VIEW = View(datetime(2026, 11, 16, 16, tzinfo=UTC), datetime(2026, 11, 23, 16, tzinfo=UTC),
            channels=("forum", "review"), topics=("refund",))  # fmt: skip
PREVIOUS = View(datetime(2026, 11, 9, 16, tzinfo=UTC), datetime(2026, 11, 16, 16, tzinfo=UTC))
DAILY = pd.DataFrame(
    {"day": pd.to_datetime(["2026-11-20", "2026-11-21", "2026-11-21"]),
     "channel": ["forum", "review", "forum"], "posts": [40, 60, 10], "negative": [10, 20, 5]}
)  # fmt: skip
TOPICS = pd.DataFrame({"topic": ["refund", "delivery"], "complaints": [20, 10]})
MARKERS = pd.DataFrame({"opened_at": pd.to_datetime(["2026-11-21 03:00"], utc=True),
                        "kind": ["spike"], "title": ["退款投诉激增"]})  # fmt: skip
NOW, BEFORE = Headline(123_456, 30_000, 50_000), Headline(100_000, 20_000, 40_000)
REPLIES = {"within_sla_share": 0.75, "reply_hours_median": 2.5}
REPLIES_BEFORE = {"within_sla_share": 0.80, "reply_hours_median": 2.0}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# What each figure and its change read as, in both languages.
EXPECTED = {
    "en": ["Posts", "123,456", "100,000", "+23%", "Negative share", "24.3%", "20.0%",
           "+4.3 pts", "Net sentiment", "+0.16", "+0.20", "−0.04", "Affected customers",
           "≈ 3,000,000", "≈ 2,000,000", "+50%", "Answered within 6 h", "75.0%", "80.0%",
           "−5.0 pts", "Time to first reply (median)", "2.5 h", "2.0 h", "+0.5 h"],
    "zh": ["帖子数", "12.3 万", "10.0 万", "+23%", "负面占比", "24.3%", "+4.3 个百分点",
           "净情感值", "−0.04", "受影响客户", "≈ 300.0 万", "≈ 200.0 万", "+50%",
           "6 小时内回复", "75.0%", "−5.0 个百分点", "首次回复", "2.5 小时", "+0.5 小时"],
}  # fmt: skip
PERIOD = {"en": ["2026-11-17 – 2026-11-23 (Asia/Shanghai)", "2026-11-10 – 2026-11-16",
                 "Channel: Forum, Reviews; Topic: returns & refunds"],
          "zh": ["2026-11-17 – 2026-11-23 (Asia/Shanghai)", "渠道: 论坛, 商品评价"]}  # fmt: skip


def report(lang: str, before: bool = True, view: View = VIEW) -> Report:
    """A report over the fixed figures above."""
    figures = headline_figures(NOW, BEFORE if before else None, REPLIES,
                               REPLIES_BEFORE if before else None, Config(), lang)  # fmt: skip
    return Report(figures, view, PREVIOUS if before else None, DAILY, MARKERS, TOPICS,
                  "Asia/Shanghai", lang, datetime(2026, 11, 23, 16, tzinfo=UTC))  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_carries_every_figure_with_its_change_the_period_filters_and_charts(lang):
    page = report_html(report(lang))
    assert page.startswith(f"<!doctype html><html lang='{lang}'>")
    for text in EXPECTED[lang] + PERIOD[lang]:
        assert escape(text, quote=False) in page, text
    assert page.count("<svg") == 2  # the trend and the topics, drawn as static SVG
    assert escape(topic_label("refund", lang)) in page and "退款投诉激增" in page
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    assert len(page.encode()) < 100_000  # no plotly.js: a few kilobytes, far under 1 MB


def test_report_without_a_previous_period_shows_dashes_and_all_time():
    page = report_html(report("en", before=False, view=View(None, None)))
    assert "all time" in page and "none (all posts)" in page
    assert "<td>—</td>" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_shows_every_headline_figure_with_its_change(lang, tmp_path):
    require(shutil.which("pdftotext") is not None, "pdftotext and pdftoppm (poppler-utils)")
    pdf = report_pdf(report_html(report(lang)))
    assert pdf.startswith(b"%PDF") and len(pdf) < 1_000_000
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    for expected in EXPECTED[lang] + PERIOD[lang][:1]:
        assert " ".join(expected.split()) in flat, expected
    # The first page as an image, to look at (kept in screenshots/ beside the browser's).
    SCREENSHOTS.mkdir(exist_ok=True)
    image = SCREENSHOTS / f"report_{lang}"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(image)], check=True)  # fmt: skip
    assert image.with_suffix(".png").stat().st_size > 20_000  # a page with ink on it


def test_an_alert_title_a_channel_and_a_topic_full_of_markup_sit_in_the_report_as_text():
    beacon = "http://127.0.0.1:9"
    planted = hostile("title", beacon)
    markers = MARKERS.assign(title=[planted])
    daily = DAILY.assign(channel=["forum", planted, "forum"])
    topics = TOPICS.assign(topic=[planted, "delivery"])
    figures = headline_figures(NOW, None, {}, None, Config(), "en")
    page = report_html(Report(figures, VIEW, None, daily, markers, topics, "UTC", "en",
                              datetime(2026, 11, 23, tzinfo=UTC)))  # fmt: skip
    assert "<img src=" + beacon not in page and "<script>alert" not in page
    # The channel in the legend, the topic's bar, the marker's tooltip and the alerts list.
    assert page.count(escape(planted)) == 4
    assert report_pdf(page).startswith(b"%PDF")  # and the PDF is made of it all the same
