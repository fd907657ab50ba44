"""The Overview's custom date range, beside 7 / 30 / 90 days, and the report that follows it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from data import connect
from data.trends import View, headline
from hundredfold.config import Config
from hundredfold.pipeline import utc_now
from tests.dashboard.test_pages import APP, demo_database, open_page  # noqa: F401 (fixture)


@pytest.fixture
def app(demo_database, monkeypatch) -> AppTest:  # noqa: F811
    """The dashboard over the small demo load."""
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", demo_database)
    return AppTest.from_file(APP, default_timeout=60)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_custom_range_narrows_every_figure_to_those_local_days(
    app,
    demo_database,  # noqa: F811 (the fixture)
    language,
):
    open_page(app, "views/overview.py", language)
    zone = ZoneInfo(Config().timezone)
    today = utc_now().astimezone(zone).date()
    first, last = today - timedelta(days=5), today - timedelta(days=2)
    app.radio(key=f"overview_period.{language}").set_value("period_custom").run()
    app.date_input(key=f"overview_dates.{language}").set_value((first, last)).run()
    assert not app.exception, app.exception
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    expected = headline(connect(demo_database), View(start, end))
    posts = app.metric[0]
    assert posts.value.replace(",", "") == f"{expected.posts}"
    # The change compares with the four days before; the range stays when the language does.
    assert posts.delta
    other = "en" if language == "zh" else "zh"
    app.session_state["language"] = other
    app.run()
    assert app.date_input(key=f"overview_dates.{other}").value == (first, last)
    assert app.metric[0].value.replace(",", "") == f"{expected.posts}"
