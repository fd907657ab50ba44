"""Storing a batch whatever one row holds: a row the database rejects is found by bisection
and quarantined with its reason; the rest of the batch and the checkpoint go on."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, exc, select, update

from data.bounds import storable_text
from data.engine import READ_ONLY
from data.inserts import conflict_insert
from data.posts import BatchCounts, ScoredPost, save_batch
from data.schema import sources
from data.schema_quarantine import quarantined_posts
from data.sla import DEFAULT_SLA, SlaPolicy

MAX_REASON_CHARS = 300
MAX_ID_CHARS = 500  # the width of quarantined_posts.external_id (and posts.external_id)
# Errors a value can cause: the database refusing it (too long, out of range, NUL, a broken
# constraint), or the driver or our own code unable to handle it (an unencodable character,
# a date past year 9999). A lost connection or a lock is none of these: it fails the batch,
# which the next run retries whole, and nothing is quarantined for it.
ROW_ERRORS = (ValueError, OverflowError, TypeError, ArithmeticError)
DB_ROW_ERRORS = (exc.DataError, exc.IntegrityError)


def tied_to_a_row(error: BaseException) -> bool:
    """Whether `error` is one a stored value can cause (not the database being away)."""
    if isinstance(error, DB_ROW_ERRORS):
        return True
    if isinstance(error, exc.DBAPIError):
        return False  # OperationalError, InterfaceError, ...: the database, not a value
    if isinstance(error, exc.StatementError):
        return isinstance(error.orig, ROW_ERRORS)  # raised while binding a value
    return isinstance(error, ROW_ERRORS)


def reason_of(error: BaseException) -> str:
    """The cause in one short line, without the SQL and parameters SQLAlchemy appends."""
    cause = error.orig if isinstance(error, exc.StatementError) and error.orig else error
    lines = str(cause).strip().splitlines() or [""]
    return storable_text(f"{type(cause).__name__}: {lines[0]}")[:MAX_REASON_CHARS]


def save_or_quarantine(
    engine: Engine,
    source_id: int,
    channel: str,
    items: list[ScoredPost],
    state: dict[str, Any],
    *,
    now: datetime,
    threshold: float,
    sla: SlaPolicy = DEFAULT_SLA,
) -> tuple[BatchCounts, list[str]]:
    """Store a batch and its checkpoint; (counts, a warning per post quarantined).

    The batch goes in one transaction as ever. If a row makes it fail, the batch is stored
    in halves, and halves of the half that fails, down to the rows that fail alone: those
    are quarantined, the others stored, and the checkpoint moves on. A crash in between
    loses nothing: the next run re-reads the batch and stores it once.
    """

    def store(part: list[ScoredPost], checkpoint: dict[str, Any] | None) -> BatchCounts:
        return save_batch(engine, source_id, channel, part, checkpoint,
                          now=now, threshold=threshold, sla=sla)  # fmt: skip

    try:
        return store(items, state), []
    except Exception as error:
        if not tied_to_a_row(error):
            raise
        first = error
    latest = list({item.post.external_id: item for item in items}.values())
    counts = BatchCounts()
    rejected: list[tuple[ScoredPost, str]] = []
    if len(latest) == 1:
        rejected.append((latest[0], reason_of(first)))
    else:
        half = len(latest) // 2
        _bisect(latest[:half], store, counts, rejected)
        _bisect(latest[half:], store, counts, rejected)
    _quarantine(engine, source_id, rejected, state, now)
    counts.posts_seen = len(latest)
    warnings = [
        f"post {item.post.external_id[:80]!r}: not stored ({reason}), kept in quarantine"
        for item, reason in rejected
    ]
    return counts, warnings


def _bisect(
    items: list[ScoredPost],
    store: Callable[[list[ScoredPost], dict[str, Any] | None], BatchCounts],
    counts: BatchCounts,
    rejected: list[tuple[ScoredPost, str]],
) -> None:
    """Store `items` (without the checkpoint), splitting them until each failing row is alone."""
    try:
        counts.add(store(items, None))
        return
    except Exception as error:
        if not tied_to_a_row(error):
            raise
        if len(items) == 1:
            rejected.append((items[0], reason_of(error)))
            return
    half = len(items) // 2
    _bisect(items[:half], store, counts, rejected)
    _bisect(items[half:], store, counts, rejected)


def _quarantine(
    engine: Engine,
    source_id: int,
    rejected: list[tuple[ScoredPost, str]],
    state: dict[str, Any],
    now: datetime,
) -> None:
    """Keep the rejected rows with their reasons and move the checkpoint, in one transaction."""
    with engine.begin() as connection:
        for item, reason in rejected:
            values = {
                "source_id": source_id,
                "external_id": storable_text(item.post.external_id)[:MAX_ID_CHARS],
                "reason": reason,
                "row": as_json(item),
                "first_seen": now,
                "last_seen": now,
            }
            statement = conflict_insert(quarantined_posts, engine.dialect.name).values(**values)
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["source_id", "external_id"],
                    set_={"reason": reason, "row": values["row"], "last_seen": now},
                )
            )
        connection.execute(update(sources).where(sources.c.id == source_id).values(state=state))


def as_json(item: ScoredPost) -> dict[str, Any]:
    """The post as the collector gave it, in values any JSON column takes."""
    row = dataclasses.asdict(item.post) | {"published_given": item.published_given}
    return {name: _plain(value) for name, value in row.items()}


def _plain(value: Any) -> Any:
    """A value JSON holds and gives back on both databases: a NUL is kept as the visible text
    \\u0000 (PostgreSQL stores the escape but cannot read it out as text), NaN as "nan"."""
    if isinstance(value, str):
        return value.replace("\x00", "\\u0000")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def quarantined(engine: Engine, source_id: int) -> list[dict[str, Any]]:
    """The posts of a source kept in quarantine: external id, reason, row, first and last seen."""
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(
            select(quarantined_posts)
            .where(quarantined_posts.c.source_id == source_id)
            .order_by(quarantined_posts.c.id)
        )
        return [dict(row._mapping) for row in rows]
