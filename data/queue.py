"""The reply queue: open complaint cases with their post and the model's judgement."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data.engine import READ_ONLY
from data.reports import OPEN_CASE_STATUSES
from data.schema import cases, posts, sentiment_scores, sources

QUEUE_COLUMNS = [
    "case_id", "status", "published_at", "channel", "language", "source", "author", "title",
    "body", "url", "label", "p_negative", "uncertain", "model",
]  # fmt: skip


def _narrowed(query, channels: Sequence[str], languages: Sequence[str]):
    """The query limited to open cases in the given channels and languages (if any)."""
    query = query.where(cases.c.status.in_(OPEN_CASE_STATUSES))
    if channels:
        query = query.where(posts.c.channel.in_(list(channels)))
    if languages:
        query = query.where(posts.c.language.in_(list(languages)))
    return query


def count_open_cases(
    engine: Engine, channels: Sequence[str] = (), languages: Sequence[str] = ()
) -> int:
    """How many open cases the filters match (the list itself is capped)."""
    query = select(func.count()).select_from(cases.join(posts, posts.c.id == cases.c.post_id))
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return int(connection.execute(_narrowed(query, channels, languages)).scalar_one())


def open_cases(
    engine: Engine,
    channels: Sequence[str] = (),
    languages: Sequence[str] = (),
    limit: int = 500,
) -> pd.DataFrame:
    """Open cases, newest post first, narrowed to the given channels and languages (if any)."""
    query = (
        select(
            cases.c.id.label("case_id"),
            cases.c.status,
            posts.c.published_at,
            posts.c.channel,
            posts.c.language,
            sources.c.name.label("source"),
            posts.c.author,
            posts.c.title,
            posts.c.body,
            posts.c.url,
            sentiment_scores.c.label,
            sentiment_scores.c.p_negative,
            sentiment_scores.c.uncertain,
            sentiment_scores.c.model,
        )
        .select_from(
            cases.join(posts, posts.c.id == cases.c.post_id)
            .join(sources, sources.c.id == posts.c.source_id)
            .outerjoin(
                sentiment_scores,
                and_(sentiment_scores.c.post_id == posts.c.id, sentiment_scores.c.is_current),
            )
        )
        .order_by(posts.c.published_at.desc(), cases.c.id.desc())
        .limit(limit)
    )
    query = _narrowed(query, channels, languages)
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=QUEUE_COLUMNS)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame


def queue_facets(engine: Engine) -> dict[str, list[str]]:
    """Channels and languages present among open cases, for the queue's filters."""
    base = cases.join(posts, posts.c.id == cases.c.post_id)
    facets = {}
    with engine.connect().execution_options(**READ_ONLY) as connection:
        for name, column in (("channels", posts.c.channel), ("languages", posts.c.language)):
            query = (
                select(column)
                .select_from(base)
                .where(cases.c.status.in_(OPEN_CASE_STATUSES))
                .distinct()
                .order_by(column)
            )
            facets[name] = list(connection.execute(query).scalars())
    return facets


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
        .select_from(
            cases.join(posts, posts.c.id == cases.c.post_id).outerjoin(
                sentiment_scores,
                and_(sentiment_scores.c.post_id == posts.c.id, sentiment_scores.c.is_current),
            )
        )
        .where(cases.c.status.in_(list(statuses)))
        .order_by(cases.c.due_at, cases.c.id)
        .limit(limit)
    )  # fmt: skip
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
