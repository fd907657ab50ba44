"""Storing posts: idempotent upserts, edit history, scores, topics and complaint cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, select, update

from collectors.base import Post
from data.bounds import bounded_post
from data.case_opening import open_cases
from data.engine import READ_ONLY
from data.inserts import CHUNK, among, chunks, insert_ignoring_duplicates, insert_new, insert_rows
from data.rollup_deltas import apply_delta, contributions
from data.schema import (
    post_history,
    post_topics,
    posts,
    reach_snapshots,
    sentiment_scores,
    sources,
)
from data.sla import DEFAULT_SLA, SlaPolicy
from sentiment.record import Sentiment

__all__ = ["CHUNK", "BatchCounts", "ScoredPost", "cached_scores", "chunks", "save_batch"]
REACH_FIELDS = ("score", "comments", "followers", "rating")


@dataclass(frozen=True)
class ScoredPost:
    """A post ready to store: its language, product, topics and sentiment decided."""

    post: Post
    language: str
    sentiment: Sentiment
    topics: list[str] = field(default_factory=list)
    product: str | None = None
    published_given: str | None = None  # a date outside the sane window, as given


@dataclass
class BatchCounts:
    """What storing one batch did."""

    posts_seen: int = 0
    posts_new: int = 0
    posts_updated: int = 0

    def add(self, other: BatchCounts) -> None:
        """Accumulate another batch's counts."""
        self.posts_seen += other.posts_seen
        self.posts_new += other.posts_new
        self.posts_updated += other.posts_updated


def cached_scores(
    engine: Engine, content_hashes: Iterable[str], models: Iterable[str] | None = None
) -> dict[str, Sentiment]:
    """Stored current scores of these texts (by content hash; by one of `models`), reused."""
    found: dict[str, Sentiment] = {}
    hashes = sorted(set(content_hashes))
    wanted = None if models is None else sorted(set(models))
    with engine.connect().execution_options(**READ_ONLY) as connection:
        for part in chunks(hashes):
            query = (
                select(posts.c.content_hash, sentiment_scores)
                .join(sentiment_scores, sentiment_scores.c.post_id == posts.c.id)
                .where(among(connection, posts.c.content_hash, part), sentiment_scores.c.is_current)
            )
            if wanted is not None:
                query = query.where(sentiment_scores.c.model.in_(wanted))
            rows = connection.execute(query)
            for row in rows:
                found[row.content_hash] = _sentiment_from_row(row)
    return found


def _sentiment_from_row(row: Any) -> Sentiment:
    """A Sentiment from a sentiment_scores row."""
    probs = {"negative": row.p_negative, "neutral": row.p_neutral, "positive": row.p_positive}
    return Sentiment(row.label, probs, bool(row.uncertain), row.model)


def save_batch(
    engine: Engine,
    source_id: int,
    channel: str,
    items: list[ScoredPost],
    state: dict[str, Any] | None,
    *,
    now: datetime,
    threshold: float,
    sla: SlaPolicy = DEFAULT_SLA,
) -> BatchCounts:
    """Store a batch and its checkpoint (None: left as it is) in one transaction; a re-run
    changes nothing."""
    # The last copy of a repeat wins; every value is made storable first (data/bounds.py).
    latest = {i.post.external_id: replace(i, post=bounded_post(i.post)) for i in items}
    counts = BatchCounts(posts_seen=len(latest))
    with engine.begin() as connection:
        existing = _existing_posts(connection, source_id, list(latest))
        fresh = [item for key, item in latest.items() if key not in existing]
        # A post a concurrent run inserted first is that run's to score and to count.
        ids = _insert_posts(connection, source_id, channel, fresh, now)
        mine = [item for item in fresh if item.post.external_id in ids]
        scored = [(ids[item.post.external_id], item) for item in mine]
        counts.posts_new = len(scored)
        grown = [(post_id, item) for post_id, item in scored if _has_reach(item.post)]
        # What the edited posts count for in the rollups now, before they change.
        edited = [row.id for key, row in existing.items()
                  if row.content_hash != latest[key].post.content_hash]  # fmt: skip
        before = contributions(connection, edited)
        for key, row in existing.items():
            item = latest[key]
            reach_changed = any(getattr(row, n) != getattr(item.post, n) for n in REACH_FIELDS)
            if reach_changed and _has_reach(item.post):
                grown.append((row.id, item))
            if row.content_hash != item.post.content_hash:
                _record_edit(connection, row, item, now)
                scored.append((row.id, item))
                counts.posts_updated += 1
            elif reach_changed:
                reach = {name: getattr(item.post, name) for name in REACH_FIELDS}
                connection.execute(update(posts).where(posts.c.id == row.id).values(**reach))
        _snapshot_reach(connection, grown, now)
        _store_scores(connection, scored, now, replaced=len(mine) < len(scored))
        open_cases(connection, scored, now, threshold, sla)
        if state is not None:
            connection.execute(update(sources).where(sources.c.id == source_id).values(state=state))
        # Last, so the hour locks it takes on PostgreSQL are held as briefly as possible. The
        # rollups move by what this batch adds and changes, whatever else the hours hold.
        after = contributions(connection, [post_id for post_id, _ in scored])
        apply_delta(connection, before, after)
    return counts


def _has_reach(post: Post) -> bool:
    """Whether the source told us how far the post reaches."""
    return any(value is not None for value in (post.score, post.comments, post.followers))


def _snapshot_reach(
    connection: Connection, grown: list[tuple[int, ScoredPost]], now: datetime
) -> None:
    """Record reach as first seen and whenever it changes: growth over time shows virality."""
    rows = [
        {"post_id": post_id, "at": now, "score": item.post.score,
         "comments": item.post.comments, "followers": item.post.followers}
        for post_id, item in grown
    ]  # fmt: skip
    for part in chunks(rows):
        connection.execute(reach_snapshots.insert(), list(part))


def _existing_posts(connection: Connection, source_id: int, external_ids: list[str]) -> dict:
    """Stored posts of a source by external id: id, hash, text and reach."""
    found = {}
    names = ("id", "external_id", "content_hash", "title", "body", "body_html", "published_at")
    columns = [posts.c[name] for name in (*names, *REACH_FIELDS)]
    for part in chunks(external_ids):
        rows = connection.execute(
            select(*columns).where(
                posts.c.source_id == source_id, among(connection, posts.c.external_id, part)
            )
        )
        found.update({row.external_id: row for row in rows})
    return found


def _post_values(item: ScoredPost, now: datetime) -> dict[str, Any]:
    """Column values of a post that come from its content."""
    post = item.post
    return {
        "url": post.url,
        "author": post.author,
        "title": post.title,
        "body": post.body,
        "body_html": post.body_html,
        "language": item.language,
        "product": item.product,
        "parent_external_id": post.parent_external_id,
        "published_at": post.published_at or now,
        "published_at_estimated": post.published_at is None,
        "published_given": item.published_given,
        "updated_at": now,
        "content_hash": post.content_hash,
        **{name: getattr(post, name) for name in REACH_FIELDS},
    }


def _insert_posts(
    connection: Connection, source_id: int, channel: str, items: list[ScoredPost], now: datetime
) -> dict[str, int]:
    """Insert new posts; external id -> id of those inserted here (a twin a concurrent run
    inserted first is skipped and not among them)."""
    rows = [
        {
            "source_id": source_id,
            "external_id": item.post.external_id,
            "channel": channel,
            "collected_at": now,
            **_post_values(item, now),
        }
        for item in items
    ]
    inserted = insert_new(connection, posts, rows, posts.c.external_id, posts.c.id)
    return {row.external_id: row.id for row in inserted}


def _record_edit(connection: Connection, row: Any, item: ScoredPost, now: datetime) -> None:
    """Keep the earlier text in history and update the post in place."""
    connection.execute(
        post_history.insert().values(
            post_id=row.id,
            title=row.title,
            body=row.body,
            body_html=row.body_html,
            content_hash=row.content_hash,
            replaced_at=now,
        )
    )
    values = _post_values(item, now)
    if item.post.published_at is None:  # keep the time first seen, not the time of the edit
        del values["published_at"], values["published_at_estimated"]
    connection.execute(update(posts).where(posts.c.id == row.id).values(**values))


SCORE_INSERT = sentiment_scores.insert()  # built once: insert_rows caches its compilation


def _store_scores(
    connection: Connection,
    scored: list[tuple[int, ScoredPost]],
    now: datetime,
    replaced: bool = True,
) -> None:
    """Make each post's new score current and its topics those of its current text (a batch
    of posts all new to the database, `replaced` False, has no earlier ones to retire)."""
    post_ids = [post_id for post_id, _ in scored] if replaced else []
    for part in chunks(post_ids):
        connection.execute(
            update(sentiment_scores)
            .where(
                among(connection, sentiment_scores.c.post_id, part), sentiment_scores.c.is_current
            )
            .values(is_current=False)
        )
        theirs = among(connection, post_topics.c.post_id, part)
        connection.execute(delete(post_topics).where(theirs))
    by_model: dict[str, list[int]] = {}
    for post_id, item in scored:
        by_model.setdefault(item.sentiment.model, []).append(post_id)
    for model, ids in by_model.items() if replaced else ():  # a re-score replaces its row
        for part in chunks(ids):
            connection.execute(
                delete(sentiment_scores).where(
                    and_(
                        among(connection, sentiment_scores.c.post_id, part),
                        sentiment_scores.c.model == model,
                    )
                )
            )
    score_rows = [
        {
            "post_id": post_id,
            "model": item.sentiment.model,
            "label": item.sentiment.label,
            "p_negative": item.sentiment.probs["negative"],
            "p_neutral": item.sentiment.probs["neutral"],
            "p_positive": item.sentiment.probs["positive"],
            "uncertain": item.sentiment.uncertain,
            "is_current": True,
            "scored_at": now,
        }
        for post_id, item in scored
    ]
    topic_rows = [
        {"post_id": post_id, "topic": topic} for post_id, item in scored for topic in item.topics
    ]
    insert_rows(connection, SCORE_INSERT, score_rows)
    insert_ignoring_duplicates(connection, post_topics, topic_rows)
