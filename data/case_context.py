"""What a manager reads beside a case: its thread, the author's other posts, twins, history."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from data.engine import READ_ONLY
from data.schema import case_events, cases, posts


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
