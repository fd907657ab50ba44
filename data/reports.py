"""Read-side queries: the figures `stats` prints and the dashboard shows, computed in SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, type_coerce

from data.engine import READ_ONLY
from data.schema import (
    ROLLUP_STEPS,
    UtcDateTime,
    cases,
    channel_rollups,
    posts,
    rollup_negative_column,
    sentiment_scores,
    sources,
)

OPEN_CASE_STATUSES = ("new", "claimed", "snoozed")


def _counts_by(connection, column) -> dict[str, int]:
    """Post counts grouped by one indexed column of posts."""
    rows = connection.execute(select(column, func.count()).group_by(column))
    return {str(key): int(count) for key, count in rows}


def _largest_first(counts: dict[str, int]) -> dict[str, int]:
    """The counts without empty entries, largest first (ties by name)."""
    return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0])))


def _rollup_sums(connection, column) -> dict[str, int]:
    """A rollup count summed per channel."""
    rows = connection.execute(
        select(channel_rollups.c.channel, func.sum(column)).group_by(channel_rollups.c.channel)
    )
    return {str(channel): int(total or 0) for channel, total in rows}


def _negative_count(connection, threshold: float) -> int:
    """Posts whose current P(negative) reaches `threshold`: from the rollup when the threshold
    is one of its steps, else counted from the scores."""
    step = threshold * ROLLUP_STEPS
    if abs(step - round(step)) < 1e-9 and 1 <= round(step) <= ROLLUP_STEPS:
        column = channel_rollups.c[rollup_negative_column(round(step))]
        return sum(_rollup_sums(connection, column).values())
    return connection.execute(
        select(func.count())
        .select_from(sentiment_scores)
        .where(sentiment_scores.c.is_current, sentiment_scores.c.p_negative >= threshold)
    ).scalar_one()


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
        # Totals from the hourly rollup, kept in step with the posts: no scan of a million rows.
        by_channel = _rollup_sums(connection, channel_rollups.c.posts)
        negative = _negative_count(connection, threshold)
        open_queue = connection.execute(
            select(func.count()).select_from(cases).where(cases.c.status.in_(OPEN_CASE_STATUSES))
        ).scalar_one()
        source_rows = list(connection.execute(select(sources).order_by(sources.c.name)))
        health = source_health(connection, source_rows, now, silent_after)  # read once
        by_kind: dict[str, int] = {}
        for state in health:
            by_kind[state["kind"]] = by_kind.get(state["kind"], 0) + state["posts"]
        return {
            "posts": sum(by_channel.values()),
            "negative_posts": int(negative),
            "negative_threshold": threshold,
            "posts_by_source_kind": _largest_first(by_kind),
            "posts_by_channel": _largest_first(by_channel),
            "posts_by_language": _largest_first(_counts_by(connection, posts.c.language)),
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
    Each figure is read per source off an index (source_id, ...), never by a table scan.
    """
    health = []
    newest = newest_posts(connection, source_rows)
    for row in source_rows:
        mine = posts.c.source_id == row.id
        last_new = newest[row.id]
        total = recent = 0
        if last_new is not None:
            total = connection.execute(select(func.count()).where(mine)).scalar_one()
            recent = connection.execute(
                select(func.count()).where(mine, posts.c.collected_at >= now - timedelta(hours=24))
            ).scalar_one()
        health.append({
            "name": row.name,
            "kind": row.kind,
            "channel": row.channel,
            "posts": int(total),
            "posts_last_24h": int(recent),
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


def newest_posts(connection, source_rows: list[Any]) -> dict[int, datetime | None]:
    """Each source's newest collected post (None for none): one index lookup each."""
    newest = type_coerce(func.max(posts.c.collected_at), UtcDateTime())
    return {
        row.id: connection.execute(select(newest).where(posts.c.source_id == row.id)).scalar()
        for row in source_rows
    }


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 text for JSON, or None."""
    return moment.isoformat() if moment else None
