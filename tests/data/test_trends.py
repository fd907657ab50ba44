"""Overview aggregates agree with the posts behind them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.trends import View, complaint_topics, daily_trend, headline, posts_in_view
from sentiment.record import from_probs

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "m")
HAPPY = from_probs(0.05, 0.05, 0.9, "m")


@pytest.fixture
def engine(database_url):
    """Forum and review posts over three days, some complaints about refunds."""
    engine = connect(database_url)
    sources = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900),
                                    SourceSpec("r", "file", "review", {}, 900)])  # fmt: skip
    for name, channel in (("f", "forum"), ("r", "review")):
        items = [
            ScoredPost(
                Post(f"{name}{n}", f"post {n}", published_at=NOW - timedelta(hours=10 * n)),
                "en", ANGRY if n % 2 else HAPPY, ["refund"] if n % 3 == 0 else [],
            )
            for n in range(8)
        ]  # fmt: skip
        save_batch(engine, sources[name].id, channel, items, {}, now=NOW, threshold=0.5)
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    "view",
    [View(None, None), View(NOW - timedelta(days=1), NOW + timedelta(hours=1)),
     View(None, None, channels=("review",)), View(None, None, topics=("refund",))],
    ids=["all", "last-day", "reviews", "refund"],
)  # fmt: skip
def test_posts_behind_a_view_are_as_many_as_its_headline_counts(engine, view):
    figures = headline(engine, view)
    behind = posts_in_view(engine, view)
    assert len(behind) == figures.posts
    assert int((behind["p_negative"] >= view.threshold).sum()) == figures.negative
    trend = daily_trend(engine, view, "Asia/Shanghai")
    assert int(trend["posts"].sum()) == figures.posts


def test_net_sentiment_and_topics(engine):
    figures = headline(engine, View(None, None))
    assert (figures.posts, figures.negative, figures.positive) == (16, 8, 8)
    assert figures.net_sentiment == 0
    topics = complaint_topics(engine, View(None, None))
    assert topics.to_dict("records") == [{"topic": "refund", "complaints": 2}]


def test_weekly_trend_sums_the_days(engine):
    daily = daily_trend(engine, View(None, None), "UTC")
    weekly = daily_trend(engine, View(None, None), "UTC", weekly=True)
    assert weekly["posts"].sum() == daily["posts"].sum()
    assert len(weekly["day"].unique()) <= len(daily["day"].unique())


def test_alert_markers_are_the_period_s_spikes_viral_posts_and_new_topics(engine):
    from data.schema import alerts
    from data.trends import alert_markers

    with engine.begin() as connection:
        for kind, hours_ago in (("spike", 2), ("overdue", 1), ("viral", 50)):
            connection.execute(alerts.insert().values(
                kind=kind, dedupe_key=f"{kind}:x", title=kind,
                opened_at=NOW - timedelta(hours=hours_ago), details={},
            ))  # fmt: skip
    day = alert_markers(engine, View(NOW - timedelta(days=1), NOW))
    assert list(day["kind"]) == ["spike"]
    assert sorted(alert_markers(engine, View(None, None))["kind"]) == ["spike", "viral"]
