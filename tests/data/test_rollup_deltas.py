"""Rollups kept by deltas: a change's contribution read before and after it, the difference
added, and both rollups still equal a full recount (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import delete, select, update

from data.rollup_deltas import apply_delta, contributions
from data.schema import channel_rollups, post_rollups, post_topics, posts, sentiment_scores
from tests.data.rollup_recount import assert_rollups_equal_a_recount
from tests.data.test_rollups import engine  # noqa: F401  (the stored, edited posts)


def _ids(database, count: int, seed: int) -> list[int]:
    """`count` stored post ids, chosen at random."""
    with database.connect() as connection:
        ids = list(connection.execute(select(posts.c.id)).scalars())
    return random.Random(seed).sample(ids, count)


def test_moving_rescoring_and_retopicking_posts_by_delta_equals_a_recount(engine):  # noqa: F811
    chosen = _ids(engine, 25, seed=3)
    with engine.begin() as connection:
        before = contributions(connection, chosen)
        for number, post_id in enumerate(chosen):
            moved = select(posts.c.published_at).where(posts.c.id == post_id).scalar_subquery()
            connection.execute(
                update(posts)
                .where(posts.c.id == post_id)
                .values(product="Nimbus" if number % 2 else None)
            )
            connection.execute(
                update(sentiment_scores)
                .where(sentiment_scores.c.post_id == post_id, sentiment_scores.c.is_current)
                .values(
                    p_negative=(number % 10) / 10, label="negative" if number % 3 else "positive"
                )
            )
            connection.execute(delete(post_topics).where(post_topics.c.post_id == post_id))
            if number % 4 == 0:
                connection.execute(post_topics.insert().values(post_id=post_id, topic="refund"))
            # Some move to another hour (an edit that changed the date): a row left, one joined.
            if number % 5 == 0:
                shifted = connection.execute(select(moved)).scalar() + timedelta(hours=7)
                connection.execute(
                    update(posts).where(posts.c.id == post_id).values(published_at=shifted)
                )
        apply_delta(connection, before, contributions(connection, chosen))
    assert_rollups_equal_a_recount(engine)


def test_deleting_posts_by_delta_drops_the_rows_left_empty(engine):  # noqa: F811
    with engine.connect() as connection:
        every = list(connection.execute(select(posts.c.id)).scalars())
    with engine.begin() as connection:
        before = contributions(connection, every)
        for table in (post_topics, sentiment_scores):
            connection.execute(delete(table).where(table.c.post_id.in_(every)))
        connection.execute(delete(posts))
        apply_delta(connection, before, {})
    assert_rollups_equal_a_recount(engine)
    with engine.connect() as connection:
        for table in (post_rollups, channel_rollups):
            assert connection.execute(select(table.c.hour)).first() is None
