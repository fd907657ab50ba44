"""The reply queue: cases with their post, the model's judgement, and their context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from data.aggregates import tagged_with
from data.engine import READ_ONLY
from data.reports import OPEN_CASE_STATUSES
from data.schema import case_events, cases, post_topics, posts, sentiment_scores, sources

QUEUE_COLUMNS = [
    "case_id", "status", "assignee", "due_at", "backfill", "post_id", "published_at",
    "channel", "language", "source", "author", "title", "body", "url", "score", "comments",
    "followers", "label", "p_negative", "uncertain", "model", "reply_url",
]  # fmt: skip


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is narrowed to; empty means everything."""

    statuses: Sequence[str] = OPEN_CASE_STATUSES
    channels: Sequence[str] = ()
    languages: Sequence[str] = ()
    topics: Sequence[str] = ()
    assignees: Sequence[str] = ()
    overdue_at: datetime | None = None  # only cases due before this moment

    def apply(self, query):
        """The query narrowed by this filter."""
        query = query.where(cases.c.status.in_(list(self.statuses)))
        if self.channels:
            query = query.where(posts.c.channel.in_(list(self.channels)))
        if self.languages:
            query = query.where(posts.c.language.in_(list(self.languages)))
        if self.assignees:
            query = query.where(cases.c.assignee.in_(list(self.assignees)))
        if self.overdue_at is not None:
            query = query.where(cases.c.due_at < self.overdue_at, cases.c.first_reply_at.is_(None))
        if self.topics:
            query = query.where(tagged_with(self.topics))
        return query


def _case_rows():
    """Cases joined to their post, source and current score."""
    return (
        cases.join(posts, posts.c.id == cases.c.post_id)
        .join(sources, sources.c.id == posts.c.source_id)
        .outerjoin(
            sentiment_scores,
            and_(sentiment_scores.c.post_id == posts.c.id, sentiment_scores.c.is_current),
        )
    )


def count_cases(engine: Engine, narrowed: QueueFilter = QueueFilter()) -> int:
    """How many cases the filter matches (the list itself is capped)."""
    query = narrowed.apply(select(func.count()).select_from(_case_rows()))
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return int(connection.execute(query).scalar_one())


def queue_cases(
    engine: Engine, narrowed: QueueFilter = QueueFilter(), limit: int = 2000
) -> pd.DataFrame:
    """Cases the filter matches, soonest due first (the page orders them by priority)."""
    query = select(
        cases.c.id.label("case_id"), cases.c.status, cases.c.assignee, cases.c.due_at,
        cases.c.backfill, posts.c.id.label("post_id"), posts.c.published_at, posts.c.channel,
        posts.c.language, sources.c.name.label("source"), posts.c.author, posts.c.title,
        posts.c.body, posts.c.url, posts.c.score, posts.c.comments, posts.c.followers,
        sentiment_scores.c.label, sentiment_scores.c.p_negative, sentiment_scores.c.uncertain,
        sentiment_scores.c.model, cases.c.reply_url,
    ).select_from(_case_rows())  # fmt: skip
    query = narrowed.apply(query).order_by(cases.c.due_at, cases.c.id).limit(limit)
    with engine.connect().execution_options(**READ_ONLY) as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=QUEUE_COLUMNS)
    for column in ("published_at", "due_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def distinct_values(connection: Connection, column: ColumnElement) -> list:
    """The distinct values of an indexed column, one index probe per value (a loose index
    scan, as a recursive query): DISTINCT would read every entry of a million-row index."""
    found = select(func.min(column).label("value")).cte("found", recursive=True)
    following = select(func.min(column)).where(column > found.c.value).scalar_subquery()
    found = found.union_all(select(following).where(found.c.value.is_not(None)))
    return [value for value in connection.execute(select(found.c.value)).scalars() if value]


def queue_facets(engine: Engine) -> dict[str, list[str]]:
    """Values the queue's filters offer: channels, languages and topics of posts, and the
    people cases have been assigned to."""
    columns = {"channels": posts.c.channel, "languages": posts.c.language,
               "topics": post_topics.c.topic, "assignees": cases.c.assignee}  # fmt: skip
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return {name: distinct_values(connection, column) for name, column in columns.items()}


@dataclass
class CaseContext:
    """What a manager reads before replying: the thread, the author's other posts, twins."""

    parent: dict | None = None
    same_author: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


def case_context(engine: Engine, case_id: int, limit: int = 10) -> CaseContext:
    """The parent post, other posts by the same author, duplicates, and the case's events."""
    post_columns = [posts.c.id, posts.c.title, posts.c.body, posts.c.url, posts.c.published_at,
                    posts.c.channel, posts.c.author]  # fmt: skip
    context = CaseContext()
    with engine.connect().execution_options(**READ_ONLY) as connection:
        me = connection.execute(
            select(posts).join(cases, cases.c.post_id == posts.c.id).where(cases.c.id == case_id)
        ).first()
        if me is None:
            return context
        if me.parent_external_id:
            parent = connection.execute(
                select(*post_columns).where(
                    posts.c.source_id == me.source_id,
                    posts.c.external_id == me.parent_external_id,
                )
            ).first()
            context.parent = dict(parent._mapping) if parent else None
        others = select(*post_columns).where(posts.c.id != me.id).limit(limit)
        if me.author:
            context.same_author = _dicts(connection, others.where(
                posts.c.author == me.author, posts.c.source_id == me.source_id
            ).order_by(posts.c.published_at.desc()))  # fmt: skip
        context.duplicates = _dicts(
            connection, others.where(posts.c.content_hash == me.content_hash)
        )
        context.events = _dicts(
            connection,
            select(case_events).where(case_events.c.case_id == case_id).order_by(case_events.c.id),
        )
    return context


def _dicts(connection, query) -> list[dict]:
    """Rows as plain dicts."""
    return [dict(row._mapping) for row in connection.execute(query)]


def list_cases(
    engine: Engine, statuses: Sequence[str] = OPEN_CASE_STATUSES, limit: int = 1000
) -> list[dict]:
    """Cases in the given states, soonest due first, as plain dicts (for scripts)."""
    query = (
        select(
            cases.c.id, cases.c.status, cases.c.assignee, cases.c.post_id, cases.c.due_at,
            cases.c.backfill, cases.c.reply_url, posts.c.channel, posts.c.language,
            posts.c.url, posts.c.title, posts.c.published_at, sentiment_scores.c.p_negative,
        )
        .select_from(_case_rows())
        .where(cases.c.status.in_(list(statuses)))
        .order_by(cases.c.due_at, cases.c.id)
        .limit(limit)
    )  # fmt: skip
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
