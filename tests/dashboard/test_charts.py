"""Figure builders and display helpers are pure: DataFrames and values in, figures and text out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from dashboard.charts import topics_figure, trend_figure
from dashboard.i18n import STRINGS
from dashboard.numbers import format_age, format_count, format_share, share_delta
from dashboard.posts import safe_link, snippet

DAILY = pd.DataFrame(
    {
        "day": pd.to_datetime(["2026-11-01", "2026-11-01", "2026-11-02", "2026-11-02"]),
        "channel": ["review", "forum", "forum", "review"],
        "posts": [10, 30, 20, 20],
        "negative": [5, 5, 2, 8],
    }
)


def test_trend_stacks_negative_posts_by_channel_in_a_fixed_order():
    figure = trend_figure(DAILY, "en")
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert [bar.name for bar in bars] == ["Forum", "Reviews"]
    assert list(bars[0].y) == [5, 2] and list(bars[1].y) == [5, 8]
    assert figure.layout.barmode == "stack"


def test_trend_line_is_the_daily_negative_share_of_all_channels():
    (line,) = [trace for trace in trend_figure(DAILY, "en").data if trace.type == "scatter"]
    assert list(line.y) == pytest.approx([10 / 40, 10 / 40])
    assert line.yaxis == "y2"


def test_trend_speaks_the_chosen_language():
    figure = trend_figure(DAILY, "zh")
    assert figure.layout.title.text == "每日负面帖子（按渠道）"
    assert {trace.name for trace in figure.data} == {"论坛", "商品评价", "负面占比"}


def test_topics_put_the_largest_on_top_with_translated_labels():
    topics = pd.DataFrame({"topic": ["refund", "delivery", "price"], "complaints": [30, 12, 4]})
    (bars,) = topics_figure(topics, "zh").data
    assert list(bars.y) == ["价格", "物流配送", "退换货"]  # plotly draws the last bar on top
    assert list(bars.x) == [4, 12, 30]


def test_every_string_has_both_languages():
    missing = [key for key, entry in STRINGS.items() if not entry.get("zh") or not entry.get("en")]
    assert missing == []


@pytest.mark.parametrize(
    ("value", "language", "signed", "text"),
    [(1234, "en", False, "1,234"), (12345, "zh", False, "1.2 万"), (5, "en", True, "+5"),
     (-5, "en", True, "-5"), (0, "en", True, "0")],
)  # fmt: skip
def test_counts_are_formatted_for_the_language(value, language, signed, text):
    assert format_count(value, language, signed=signed) == text


def test_shares_and_their_changes():
    assert format_share(0.125) == "12.5%"
    assert share_delta(0.30, 0.25) == "+5.0 pp"


def test_age_uses_the_largest_whole_unit():
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert format_age(now - timedelta(minutes=5), now, "en") == "5 min"
    assert format_age(now - timedelta(hours=7), now, "en") == "7 h"
    assert format_age(now - timedelta(days=3), now, "zh") == "3 天"


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://forum.example/t/1", "https://forum.example/t/1"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("", None),
        ("forum.example/t/1", None),
    ],
)
def test_only_http_links_become_links(url, link):
    assert safe_link(url) == link


def test_snippet_joins_title_and_body_on_one_line_and_cuts_it():
    assert snippet("Refund", "still\nnot here") == "Refund · still not here"
    long = snippet("", "x" * 500)
    assert len(long) == 140 and long.endswith("…")


def test_alerts_are_marked_on_the_day_they_opened_in_the_reader_s_zone():
    markers = pd.DataFrame(
        {
            "opened_at": pd.to_datetime(["2026-11-01T20:00:00Z"], utc=True),
            "kind": ["spike"],
            "title": ["Spike: refund complaints"],
        }
    )
    figure = trend_figure(DAILY, "en", markers=markers, timezone="Asia/Shanghai")
    (marked,) = [trace for trace in figure.data if getattr(trace, "mode", None) == "markers"]
    assert list(marked.text) == ["Spike: refund complaints"]
    assert str(marked.x[0])[:10] == "2026-11-02"  # 20:00 UTC is the next morning in Shanghai
