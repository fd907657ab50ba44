"""The one-page report: headline figures, charts and period in the reader's language."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest

from dashboard.charts import topic_label, trend_figure
from dashboard.report import report_html
from dashboard.safe_text import chart_text
from data.trends import Headline, View
from hundredfold.config import Config

VIEW = View(datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
DAILY = pd.DataFrame(
    {"day": pd.to_datetime(["2026-11-20", "2026-11-21"]), "channel": ["forum", "review"],
     "posts": [40, 60], "negative": [10, 20]}
)  # fmt: skip
TOPICS = pd.DataFrame({"topic": ["refund", "delivery"], "complaints": [20, 10]})


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", ["百倍 · 品牌声音 · 2026-10-24 – 2026-11-23", "帖子数", "12.3 万", "≈ 300.0 万",
             "6 小时内回复", "75.0%"]),
     ("en", ["Hundredfold · brand voice · 2026-10-24 – 2026-11-23", "Posts", "123,456",
             "+23,456", "≈ 3,000,000", "Answered within 6 h", "75.0%"])],
)  # fmt: skip
def test_report_has_the_period_figures_and_charts_in_the_reader_s_language(lang, expected):
    now, before = Headline(123_456, 30_000, 50_000), Headline(100_000, 20_000, 40_000)
    page = report_html(now, before, {"within_sla_share": 0.75}, VIEW,
                       trend_figure(DAILY, lang), TOPICS, Config(), lang)  # fmt: skip
    assert page.startswith(f"<!doctype html><html lang='{lang}'>")
    for text in expected:
        assert text in page, text
    # The topic chart's labels sit in its JSON: raw UTF-8 or \u-escaped, by the JSON library,
    # HTML-escaped for Plotly (which shows "&amp;" as "&").
    label = chart_text(topic_label("refund", lang))
    assert label in page or json.dumps(label)[1:-1] in page
    # plotly.js is inlined exactly once, so the file opens without a network.
    assert page.count("Plotly.newPlot") == 2
    assert page.count("plotly.js v") == 1


def test_report_without_a_previous_period_or_replies_shows_dashes():
    page = report_html(Headline(0, 0), None, {}, View(None, None), trend_figure(DAILY, "en"),
                       TOPICS.iloc[0:0], Config(), "en")  # fmt: skip
    assert "… – …" in page
    assert "<td>—</td>" in page
    assert page.count("Plotly.newPlot") == 1
