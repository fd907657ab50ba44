"""Read-side queries: the figures `stats` prints and the dashboard shows, computed in SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, type_coerce

from data.engine import READ_ONLY
from data.schema import UtcDateTime, cases, posts, sentiment_scores, sources

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


def collection_stats(
    engine: Engine,
    threshold: float,
    now: datetime | None = None,
    silent_after: timedelta = timedelta(hours=24),
) -> dict[str, Any]:
    """Totals of what has been collected, judged and queued, and which sources need a look."""
    now = now or datetime.now(UTC)
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
        health = source_health(connection, source_rows, now, silent_after)  # read once
        return {
            "posts": int(total),
            "negative_posts": int(negative),
            "negative_threshold": threshold,
            "posts_by_source_kind": _counts_by(connection, sources.c.kind),
            "posts_by_channel": _counts_by(connection, posts.c.channel),
            "posts_by_language": _counts_by(connection, posts.c.language),
            "open_queue": int(open_queue),
            "sources": health,
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
            "silent_sources": [
                _source_problem(row, f"no new posts for more than {silent_after}", None)
                for row, state in zip(source_rows, health, strict=True)
                if state["silent"]
            ],
        }


def source_health(
    connection, source_rows: list[Any], now: datetime, silent_after: timedelta
) -> list[dict[str, Any]]:
    """Per source: last runs, posts in all and in the last 24 h, rate-limit budget, silence.

    A source is silent when it has yielded posts before but none for longer than
    `silent_after`: a feed that moved, a login that expired, a query that stopped matching.
    """
    totals = dict(
        connection.execute(
            select(posts.c.source_id, func.count()).group_by(posts.c.source_id)
        ).all()
    )
    recent = dict(
        connection.execute(
            select(posts.c.source_id, func.count())
            .where(posts.c.collected_at >= now - timedelta(hours=24))
            .group_by(posts.c.source_id)
        ).all()
    )
    newest = dict(
        connection.execute(
            select(
                posts.c.source_id, type_coerce(func.max(posts.c.collected_at), UtcDateTime())
            ).group_by(posts.c.source_id)
        ).all()
    )
    health = []
    for row in source_rows:
        last_new = newest.get(row.id)
        health.append({
            "name": row.name,
            "kind": row.kind,
            "channel": row.channel,
            "posts": int(totals.get(row.id, 0)),
            "posts_last_24h": int(recent.get(row.id, 0)),
            "last_status": row.last_status,
            "last_run_at": _iso(row.last_run_at),
            "last_success_at": _iso(row.last_success_at),
            "last_error": row.last_error,
            "last_error_at": _iso(row.last_error_at),
            "last_new_post_at": _iso(last_new),
            "rate_limit": (row.state or {}).get("rate_limit"),
            "silent": bool(last_new is not None and now - last_new > silent_after),
        })  # fmt: skip
    return health


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 text for JSON, or None."""
    return moment.isoformat() if moment else None
