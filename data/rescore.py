"""Scoring stored posts again (`hundredfold rescore`): a backfill taken with the `fast` model
upgraded later, or every post after a model is retrained.

Posts are read in id order, a chunk at a time, and each chunk's new scores, topics, any case a
new complaint needs and the touched rollup hours are written in one transaction: a run
stopped half-way leaves every chunk either rescored or untouched, and running it again
continues with what is left (a post already scored by that model is skipped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import Engine, func, select

from collectors.base import Post
from data.case_opening import open_cases
from data.engine import READ_ONLY
from data.posts import CHUNK, ScoredPost, _store_scores  # save_batch's writes
from data.rollup_deltas import apply_delta, contributions
from data.schema import posts, sentiment_scores
from data.sla import DEFAULT_SLA, SlaPolicy


def _waiting(since: datetime | None, model_ids: frozenset[str]):
    """Posts published since `since` whose current score is not by one of `model_ids`."""
    current = (
        select(sentiment_scores.c.post_id)
        .where(sentiment_scores.c.is_current, sentiment_scores.c.model.in_(sorted(model_ids)))
        .scalar_subquery()
    )
    query = posts.c.id.not_in(current)
    return query if since is None else query & (posts.c.published_at >= since)


def count_waiting(engine: Engine, since: datetime | None, model_ids: frozenset[str]) -> int:
    """How many posts a rescore with this model would score."""
    with engine.connect().execution_options(**READ_ONLY) as connection:
        query = select(func.count()).select_from(posts).where(_waiting(since, model_ids))
        return int(connection.execute(query).scalar_one())


def chunks_to_rescore(
    engine: Engine, since: datetime | None, model_ids: frozenset[str], size: int = CHUNK
) -> Iterator[list[tuple[int, Post]]]:
    """(post id, the post as stored) in id order, `size` at a time."""
    after = 0
    columns = (posts.c.id, posts.c.external_id, posts.c.title, posts.c.body, posts.c.author,
               posts.c.url, posts.c.published_at)  # fmt: skip
    while True:
        query = (
            select(*columns)
            .where(_waiting(since, model_ids), posts.c.id > after)
            .order_by(posts.c.id)
            .limit(size)
        )
        with engine.connect().execution_options(**READ_ONLY) as connection:
            rows = connection.execute(query).all()
        if not rows:
            return
        after = rows[-1].id
        yield [
            (
                row.id,
                Post(
                    row.external_id,
                    row.body or "",
                    title=row.title or "",
                    author=row.author or "",
                    url=row.url or "",
                    published_at=row.published_at,
                ),
            )  # fmt: skip
            for row in rows
        ]


def store_rescored(
    engine: Engine,
    scored: list[tuple[int, ScoredPost]],
    now: datetime,
    threshold: float,
    sla: SlaPolicy = DEFAULT_SLA,
) -> None:
    """Make the new scores current, with their topics, cases for new complaints and rollups."""
    ids = [post_id for post_id, _ in scored]
    with engine.begin() as connection:
        before = contributions(connection, ids)
        _store_scores(connection, scored, now)
        open_cases(connection, scored, now, threshold, sla)
        apply_delta(connection, before, contributions(connection, ids))


def rescore(
    engine: Engine,
    score: Callable[[list[Post]], list[ScoredPost]],
    model_ids: frozenset[str],
    now: datetime,
    threshold: float,
    *,
    since: datetime | None = None,
    sla: SlaPolicy = DEFAULT_SLA,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Score every waiting post with `score` (one chunk per transaction); how many were."""
    done = 0
    for chunk in chunks_to_rescore(engine, since, model_ids):
        fresh = score([post for _, post in chunk])
        store_rescored(engine, [(post_id, item) for (post_id, _), item in
                                zip(chunk, fresh, strict=True)], now, threshold, sla)  # fmt: skip
        done += len(chunk)
        if on_chunk:
            on_chunk(len(chunk))
    return done
