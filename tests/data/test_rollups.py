"""The hourly rollup stays equal to a full recount, and every Overview figure read through it
equals the count of the posts behind the view, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import delete

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.engine import upgrade
from data.rollups import fill_empty_rollup, rebuild_rollups
from data.schema import channel_rollups, post_rollups, posts
from data.trends import (
    View,
    complaint_topics,
    daily_trend,
    headline,
    posts_in_view,
    product_breakdown,
)
from sentiment.record import from_probs
from tests.data.old_schema import engine_at
from tests.data.rollup_recount import assert_rollups_equal_a_recount, rollup_rows

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TOPICS = ("refund", "delivery", "price")
PRODUCTS = (None, "Nimbus", "Aurora")
# Exact step values (0.5, 0.7) sit on the threshold: counted as complaints at that threshold.
NEGATIVITY = (0.05, 0.3, 0.42, 0.5, 0.55, 0.7, 0.9, 1.0)


def _item(rng: random.Random, number: int, version: int) -> ScoredPost:
    """A post over the last 40 hours with random minutes, sentiment, topics and product."""
    published = NOW - timedelta(hours=rng.randrange(40), minutes=rng.randrange(60))
    negative = rng.choice(NEGATIVITY)
    positive = (1 - negative) * rng.choice((0.2, 0.9))
    sentiment = from_probs(negative, 1 - negative - positive, positive, "m")
    return ScoredPost(
        Post(f"p{number}", f"post {number} version {version}", published_at=published),
        "en", sentiment, rng.sample(TOPICS, k=rng.choice((0, 1, 1, 2))), rng.choice(PRODUCTS),
    )  # fmt: skip


def _store(engine, sources, rng: random.Random, numbers, version: int) -> None:
    """Store posts `numbers` (again, as edits, when they exist) through save_batch."""
    for name, channel in (("f", "forum"), ("r", "review")):
        items = [_item(rng, n, version) for n in numbers]
        save_batch(engine, sources[name].id, channel, items, {}, now=NOW, threshold=0.5)


@pytest.fixture
def engine(database_url):
    """Posts stored in batches, then a third of them edited: new text, score, topics, hour."""
    engine = connect(database_url)
    sources = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900),
                                    SourceSpec("r", "file", "review", {}, 900)])  # fmt: skip
    rng = random.Random(11)
    for start in range(0, 90, 30):
        _store(engine, sources, rng, range(start, start + 30), version=1)
    _store(engine, sources, rng, range(0, 90, 3), version=2)
    yield engine
    engine.dispose()


def test_rollups_kept_by_save_batch_equal_a_full_recount(engine):
    kept = rollup_rows(engine)
    per_channel = rollup_rows(engine, channel_rollups)
    assert sum(row.posts for row in _as_records(kept)) == 180
    assert len(per_channel) < len(kept)
    with engine.begin() as connection:
        rebuild_rollups(connection)
    assert rollup_rows(engine) == kept
    assert rollup_rows(engine, channel_rollups) == per_channel


def _as_records(rows: list[tuple]) -> list:
    """Rows with attribute access by column name."""
    names = [column.name for column in post_rollups.columns]
    return [pd.Series(dict(zip(names, row, strict=True))) for row in rows]


PARTIAL_START = NOW - timedelta(hours=20, minutes=43)
PARTIAL_END = NOW - timedelta(hours=3, minutes=5)
VIEWS = {
    "all": View(None, None),
    "partial-hours": View(PARTIAL_START, PARTIAL_END),
    "whole-hours": View(NOW - timedelta(hours=30), NOW - timedelta(hours=2)),
    "within-one-hour": View(NOW - timedelta(hours=5, minutes=50), PARTIAL_END - timedelta(hours=2)),
    "threshold-0.7": View(PARTIAL_START, None, threshold=0.7),
    "threshold-between-steps": View(None, PARTIAL_END, threshold=0.42),
    "threshold-1": View(None, None, threshold=1.0),
    "forum": View(PARTIAL_START, PARTIAL_END, channels=("forum",)),
    "refund": View(None, None, topics=("refund",)),
    "refund-or-delivery": View(PARTIAL_START, None, topics=("refund", "delivery")),
    "nimbus": View(None, PARTIAL_END, products=("Nimbus",)),
    "narrowed": View(PARTIAL_START, PARTIAL_END, 0.7, ("review",), ("price",), ("Aurora",)),
}  # fmt: skip


@pytest.mark.parametrize("view", list(VIEWS.values()), ids=list(VIEWS))
def test_every_figure_equals_the_posts_behind_the_view(engine, view):
    behind = posts_in_view(engine, view)
    complaints = behind["p_negative"].fillna(0) >= view.threshold
    figures = headline(engine, view)
    assert figures.posts == len(behind)
    assert figures.negative == int(complaints.sum())
    assert figures.positive == int((behind["label"] == "positive").sum())
    trend = daily_trend(engine, view, "Asia/Shanghai")
    assert (int(trend["posts"].sum()), int(trend["negative"].sum())) == (
        figures.posts,
        figures.negative,
    )
    named = behind[behind["product"].notna()]
    expected_products = {
        product: (len(group), int(complaints[group.index].sum()))
        for product, group in named.groupby("product")
    }
    products = product_breakdown(engine, view)
    assert {row.product: (row.posts, row.negative) for row in products.itertuples()} == (
        expected_products
    )
    topics = dict(complaint_topics(engine, view).itertuples(index=False))
    for topic in TOPICS:
        narrowed = View(view.start, view.end, view.threshold, view.channels, (topic,),
                        view.products)  # fmt: skip
        if view.topics and topic not in view.topics:
            continue  # a post outside the chosen topics may still carry this one
        tagged = posts_in_view(engine, narrowed, complaints_only=True)
        assert topics.get(topic, 0) == len(tagged), topic


def test_an_hour_with_no_posts_left_has_no_rollup_rows(database_url):
    engine = connect(database_url)
    sources = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900)])
    early = NOW - timedelta(hours=9, minutes=30)
    first = Post("moved", "first text", published_at=early)
    edited = Post("moved", "edited text", published_at=NOW - timedelta(minutes=10))
    angry = from_probs(0.9, 0.05, 0.05, "m")
    for post in (first, edited):
        item = ScoredPost(post, "en", angry, ["refund"])
        save_batch(engine, sources["f"].id, "forum", [item], {}, now=NOW, threshold=0.5)
    hours = [row[0] for row in rollup_rows(engine)]
    assert hours == [NOW - timedelta(hours=1)]
    assert headline(engine, View(None, NOW - timedelta(hours=2))).posts == 0
    engine.dispose()


def test_concurrent_writers_to_the_same_hours_lose_no_count(database_url):
    engine = connect(database_url)
    names = [f"s{n}" for n in range(4)]
    sources = sync_sources(engine, [SourceSpec(n, "rss", "forum", {}, 900) for n in names])
    errors: list[BaseException] = []

    def write(name: str) -> None:
        rng = random.Random(name)
        try:
            for batch in range(5):
                items = [_item(rng, batch * 10 + n, 1) for n in range(10)]
                save_batch(engine, sources[name].id, "forum", items, {}, now=NOW, threshold=0.5)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert headline(engine, View(None, None)).posts == 200
    assert_rollups_equal_a_recount(engine)
    engine.dispose()


def test_a_database_migrated_to_the_rollup_gets_it_filled(sqlite_url):
    engine = engine_at(sqlite_url, "0006")
    sources = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900)])
    with engine.begin() as connection:
        connection.execute(
            posts.insert(),
            [{"source_id": sources["f"].id, "external_id": f"old{n}", "body": "old",
              "language": "en", "channel": "forum", "published_at": NOW - timedelta(hours=n),
              "collected_at": NOW, "updated_at": NOW, "content_hash": f"h{n}"} for n in range(5)],
        )  # fmt: skip
    upgrade(engine)
    assert sum(row.posts for row in _as_records(rollup_rows(engine))) == 5
    assert headline(engine, View(None, None)).posts == 5
    for table in (post_rollups, channel_rollups):  # emptied, as a reshaping migration would
        with engine.begin() as connection:
            connection.execute(delete(table))
            fill_empty_rollup(connection)
        assert len(rollup_rows(engine, table)) == 5
    engine.dispose()
