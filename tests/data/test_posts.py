"""Storing posts on SQLite and PostgreSQL: idempotent, edits kept, scores cached, cases opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from collectors.base import Post
from data import (
    ScoredPost,
    SourceSpec,
    cached_scores,
    collection_stats,
    save_batch,
    sync_sources,
)
from data.schema import (
    cases,
    post_history,
    post_topics,
    posts,
    reach_snapshots,
    sentiment_scores,
)
from sentiment.record import from_probs

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "test-model-1")
HAPPY = from_probs(0.05, 0.05, 0.9, "test-model-1")


def scored(post: Post, sentiment=ANGRY, topics=("refund",)) -> ScoredPost:
    """A post with a fixed judgement, as the pipeline would hand it over."""
    return ScoredPost(post=post, language="en", sentiment=sentiment, topics=list(topics))


@pytest.fixture
def source_id(engine) -> int:
    """The id of a configured forum source."""
    spec = SourceSpec("forum", "rss", "forum", {"url": "x"}, 900)
    return sync_sources(engine, [spec])["forum"].id


def count(engine, table) -> int:
    """Rows in a table."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_storing_the_same_batch_twice_creates_no_duplicates(engine, source_id):
    batch = [scored(Post(f"id-{n}", f"refund {n} never arrived")) for n in range(3)]
    first = save_batch(engine, source_id, "forum", batch, {"etag": "a"}, now=NOW, threshold=0.5)
    second = save_batch(engine, source_id, "forum", batch, {"etag": "a"}, now=NOW, threshold=0.5)
    assert (first.posts_new, second.posts_new, second.posts_updated) == (3, 0, 0)
    assert count(engine, posts) == 3
    assert count(engine, sentiment_scores) == 3
    assert count(engine, cases) == 3


def test_checkpoint_is_stored_with_the_batch(engine, source_id):
    save_batch(engine, source_id, "forum", [], {"etag": "v2"}, now=NOW, threshold=0.5)
    spec = SourceSpec("forum", "rss", "forum", {"url": "x"}, 900)
    assert sync_sources(engine, [spec])["forum"].state == {"etag": "v2"}


def test_edited_post_is_updated_in_place_with_history_and_rescored(engine, source_id):
    original = Post("p1", "The kettle is fine", published_at=NOW - timedelta(hours=2))
    save_batch(
        engine, source_id, "forum", [scored(original, HAPPY, ())], {}, now=NOW, threshold=0.5
    )
    edited = Post("p1", "The kettle broke, I want a refund", published_at=original.published_at)
    counts = save_batch(engine, source_id, "forum", [scored(edited)], {}, now=NOW, threshold=0.5)
    assert counts.posts_updated == 1
    with engine.connect() as connection:
        body = connection.execute(select(posts.c.body)).scalar_one()
        history = connection.execute(select(post_history.c.body)).scalars().all()
        labels = connection.execute(select(sentiment_scores.c.label)).scalars().all()
        topics = connection.execute(select(post_topics.c.topic)).scalars().all()
    assert body == "The kettle broke, I want a refund"
    assert history == ["The kettle is fine"]
    assert labels == ["negative"]
    assert topics == ["refund"]
    assert count(engine, cases) == 1


def test_posts_without_a_date_take_collection_time_and_are_marked(engine, source_id):
    save_batch(engine, source_id, "forum", [scored(Post("p1", "late"))], {}, now=NOW, threshold=0.5)
    with engine.connect() as connection:
        row = connection.execute(select(posts.c.published_at, posts.c.published_at_estimated)).one()
    assert row.published_at == NOW
    assert row.published_at_estimated is True


def test_timestamps_come_back_as_aware_utc(engine, source_id):
    shanghai_evening = datetime(2026, 11, 20, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    post = Post("p1", "ok", published_at=shanghai_evening)
    save_batch(engine, source_id, "forum", [scored(post)], {}, now=NOW, threshold=0.5)
    with engine.connect() as connection:
        published = connection.execute(select(posts.c.published_at)).scalar_one()
    assert published == shanghai_evening
    assert published.utcoffset() == timedelta(0)


def test_only_complaint_candidates_open_cases(engine, source_id):
    batch = [scored(Post("angry", "awful")), scored(Post("happy", "great"), HAPPY, ())]
    save_batch(engine, source_id, "forum", batch, {}, now=NOW, threshold=0.5)
    stats = collection_stats(engine, threshold=0.5)
    assert (stats["posts"], stats["negative_posts"], stats["open_queue"]) == (2, 1, 1)


def test_scores_are_reused_for_the_same_text(engine, source_id):
    save_batch(
        engine,
        source_id,
        "forum",
        [scored(Post("a", "Refund  NEVER arrived"))],
        {},
        now=NOW,
        threshold=0.5,
    )
    found = cached_scores(engine, [Post("b", "refund never arrived").content_hash, "unknown"])
    assert list(found.values()) == [ANGRY]


def test_repeated_external_id_in_one_batch_keeps_the_last_copy(engine, source_id):
    batch = [scored(Post("p1", "first")), scored(Post("p1", "second"))]
    counts = save_batch(engine, source_id, "forum", batch, {}, now=NOW, threshold=0.5)
    assert counts.posts_new == 1
    with engine.connect() as connection:
        assert connection.execute(select(posts.c.body)).scalar_one() == "second"


def test_reach_changes_update_without_history(engine, source_id):
    save_batch(
        engine, source_id, "forum", [scored(Post("p1", "bad", score=1))], {}, now=NOW, threshold=0.5
    )
    save_batch(
        engine,
        source_id,
        "forum",
        [scored(Post("p1", "bad", score=40))],
        {},
        now=NOW,
        threshold=0.5,
    )
    save_batch(engine, source_id, "forum", [scored(Post("p1", "bad", score=40))], {}, now=NOW,
               threshold=0.5)  # fmt: skip
    with engine.connect() as connection:
        assert connection.execute(select(posts.c.score)).scalar_one() == 40
        growth = connection.execute(select(reach_snapshots.c.score).order_by(reach_snapshots.c.id))
        assert growth.scalars().all() == [1, 40]  # the unchanged third read adds no snapshot
    assert count(engine, post_history) == 0


def test_same_external_id_in_two_sources_is_two_posts(engine, source_id):
    other = sync_sources(engine, [SourceSpec("reviews", "file", "review", {}, 900)])["reviews"]
    save_batch(engine, source_id, "forum", [scored(Post("1", "bad"))], {}, now=NOW, threshold=0.5)
    save_batch(engine, other.id, "review", [scored(Post("1", "bad"))], {}, now=NOW, threshold=0.5)
    stats = collection_stats(engine, threshold=0.5)
    assert stats["posts_by_channel"] == {"forum": 1, "review": 1}


def test_hostile_text_is_stored_verbatim(engine, source_id):
    body = "<script>alert(1)</script>'; DROP TABLE posts; -- 退款 \U0001f621"
    save_batch(engine, source_id, "forum", [scored(Post("x", body))], {}, now=NOW, threshold=0.5)
    with engine.connect() as connection:
        assert connection.execute(select(posts.c.body)).scalar_one() == body
