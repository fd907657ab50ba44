"""Charts that read at a glance at one day of data and at a year, and changes with their sign."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import CHANNEL_COLOURS, DAY_MS, integer_step, trend_figure
from dashboard.headline_figures import headline_figures, points_change, relative_change, signed
from data.trends import Headline
from hundredfold.config import Config


def days(count: int, start: str = "2026-12-01") -> pd.DataFrame:
    """`count` days of trend rows on two channels, a few complaints each."""
    dates = pd.date_range(start, periods=count, freq="D")
    return pd.DataFrame(
        [{"day": day, "channel": channel, "posts": 10, "negative": 1 + i % 3}
         for i, day in enumerate(dates) for channel in ("forum", "social")]
    )  # fmt: skip


def test_one_day_of_data_is_one_bar_a_day_wide_in_a_week_with_whole_day_and_count_ticks():
    figure = trend_figure(days(1), "zh")
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert all(trace.width == pytest.approx(0.8 * DAY_MS) for trace in bars)
    axis = figure.layout.xaxis
    assert axis.type == "date" and axis.dtick == DAY_MS and axis.tickangle == 0
    start, end = (pd.Timestamp(value) for value in axis.range)
    assert (end - start) == pd.Timedelta(days=7)  # the day at the right of a week, not stretched
    assert end > pd.Timestamp("2026-12-01") > start
    assert figure.layout.yaxis.dtick == 1 and figure.layout.yaxis.tickformat == ",d"
    assert all(list(trace.x) == ["2026-12-01"] for trace in bars)  # one label, one day


def test_a_year_of_data_has_month_ticks_with_the_year_and_never_half_steps():
    figure = trend_figure(days(365, "2025-12-01"), "en")
    axis = figure.layout.xaxis
    assert axis.dtick == "M1" and axis.tickformat == "%b %Y" and axis.tickangle == 0
    weekly = trend_figure(days(365, "2025-12-01"), "en", weekly=True)
    assert [trace.width for trace in weekly.data if trace.type == "bar"][0] == pytest.approx(
        0.8 * 7 * DAY_MS
    )
    assert [integer_step(peak) for peak in (0, 3, 6, 12, 40, 260, 9_000)] == [
        1, 1, 2, 5, 10, 100, 2000
    ]  # fmt: skip


def test_a_month_has_weekly_ticks_and_colours_follow_the_channel_in_both_languages():
    for lang in ("zh", "en"):
        figure = trend_figure(days(30), lang)
        assert figure.layout.xaxis.dtick == 7 * DAY_MS
        colours = [trace.marker.color for trace in figure.data if trace.type == "bar"]
        assert colours == [CHANNEL_COLOURS["forum"], CHANNEL_COLOURS["social"]]
        # Clicking a bar must select that bar: unified hover breaks selection on stacked bars.
        assert figure.layout.hovermode == "closest"


def test_changes_read_as_signed_percentages_and_points():
    assert relative_change(112, 100) == "+12%"
    assert relative_change(97, 100) == "\u22123%"
    assert relative_change(100, 100) == "0%"
    assert relative_change(5, 0) is None and relative_change(5, None) is None
    assert points_change(0.27, 0.30, "en") == "\u22123.0 pts"
    assert points_change(0.30, 0.27, "zh") == "+3.0 个百分点"
    assert signed("+0.00") == "0.00" and signed("-0.05") == "\u22120.05"
    figures = headline_figures(Headline(112, 30, 50), Headline(100, 20, 40),
                               {"within_sla_share": 0.7}, {"within_sla_share": 0.8},
                               Config(), "en")  # fmt: skip
    by_key = {figure.key: figure for figure in figures}
    keys = ["posts", "negative_share", "net_sentiment", "affected", "within_sla", "median_reply"]
    assert [figure.key for figure in figures] == keys
    assert by_key["posts"].change == "+12%"
    assert by_key["negative_share"].change == "+6.8 pts"
    assert by_key["affected"].change == "+50%"
    assert by_key["within_sla"].change == "\u221210.0 pts"
    assert by_key["median_reply"].value == "—" and by_key["median_reply"].change is None
