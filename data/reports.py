"""Read-side queries: the figures `stats` prints and the dashboard shows, computed in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from data.engine import READ_ONLY
from data.schema import cases, posts, sentiment_scores, sources

OPEN_CASE_STATUSES = ("new", "claimed", "snoozed")


def _counts_by(connection, column) -> dict[str, int]:
    """Post counts grouped by one column, largest first."""
    rows = connection.execute(
        select(column, func.count())
        .select_from(posts.join(sources))
        .group_by(column)
        .order_by(func.count().desc())
    )
    return {str(key): int(count) for key, count in rows}


def _source_problem(row: Any, message: str | None, at: Any) -> dict[str, Any]:
    """One entry of `sources_with_errors` / `sources_with_warnings`."""
    return {
        "name": row.name,
        "kind": row.kind,
        "message": message,
        "at": at.isoformat() if at else None,
    }


def collection_stats(engine: Engine, threshold: float) -> dict[str, Any]:
    """Totals of what has been collected, judged and queued, and which sources need a look."""
    with engine.connect().execution_options(**READ_ONLY) as connection:
        total = connection.execute(select(func.count()).select_from(posts)).scalar_one()
        negative = connection.execute(
            select(func.count())
            .select_from(sentiment_scores)
            .where(sentiment_scores.c.is_current, sentiment_scores.c.p_negative >= threshold)
        ).scalar_one()
        open_queue = connection.execute(
            select(func.count()).select_from(cases).where(cases.c.status.in_(OPEN_CASE_STATUSES))
        ).scalar_one()
        source_rows = list(connection.execute(select(sources).order_by(sources.c.name)))
        per_source: dict[int, int] = dict(
            connection.execute(
                select(posts.c.source_id, func.count()).group_by(posts.c.source_id)
            ).all()
        )
        return {
            "posts": int(total),
            "negative_posts": int(negative),
            "negative_threshold": threshold,
            "posts_by_source_kind": _counts_by(connection, sources.c.kind),
            "posts_by_channel": _counts_by(connection, posts.c.channel),
            "posts_by_language": _counts_by(connection, posts.c.language),
            "open_queue": int(open_queue),
            "sources": [
                {
                    "name": row.name,
                    "kind": row.kind,
                    "channel": row.channel,
                    "posts": int(per_source.get(row.id, 0)),
                    "last_status": row.last_status,
                    "last_run_at": row.last_run_at.isoformat() if row.last_run_at else None,
                    "last_success_at": (
                        row.last_success_at.isoformat() if row.last_success_at else None
                    ),
                }
                for row in source_rows
            ],
            "sources_with_errors": [
                _source_problem(row, row.last_error, row.last_error_at)
                for row in source_rows
                if row.last_status == "error"
            ],
            "sources_with_warnings": [
                _source_problem(row, row.last_warning, row.last_warning_at)
                for row in source_rows
                if row.last_warning
            ],
        }
