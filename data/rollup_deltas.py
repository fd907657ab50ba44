"""The hourly rollups kept by deltas: what a batch adds, moves and removes is counted from its
own posts and added to the rollup rows, so a batch costs the same into 10k posts or 10M.

A writer reads the rollup contribution of the posts it is about to change (`contributions`),
changes them, reads it again, and adds the difference (`apply_delta`). On PostgreSQL it holds
the hours' advisory locks in sorted order, so writers to the same hours never deadlock; the
increments themselves are row upserts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from functools import cache

from sqlalchemy import Connection, Table, and_, delete, text
from sqlalchemy.sql.dml import Insert

from data.inserts import among, chunks, conflict_insert, insert_rows
from data.rollups import EPOCH, HOUR, LOCK_CLASS, ROLLUP_COLUMNS, floor_hour, rollup_select
from data.schema import channel_rollups, post_rollups, posts
from data.types import UtcDateTime

Key = tuple[datetime, str, str, str]  # hour, channel, product ("" for none), topic set
COUNTS = ROLLUP_COLUMNS[4:]  # posts, positive, negative_5 ... negative_100


def contributions(connection: Connection, post_ids: Collection[int]) -> dict[Key, list[int]]:
    """The rollup rows these posts make up as they are stored now, by rollup key."""
    found: dict[Key, list[int]] = {}
    dialect = connection.dialect.name
    for part in chunks(sorted(post_ids)):
        theirs = among(connection, posts.c.id, part)
        for row in connection.execute(rollup_select(dialect, [theirs])):
            key = (_as_hour(row[0], dialect), row[1], row[2], row[3])
            counts = [int(value or 0) for value in row[4:]]
            found[key] = [
                a + b for a, b in zip(found.get(key, [0] * len(COUNTS)), counts, strict=True)
            ]
    return found


def apply_delta(
    connection: Connection,
    before: Mapping[Key, list[int]],
    after: Mapping[Key, list[int]],
) -> None:
    """Add `after - before` to both rollups, dropping rows left with no posts."""
    zero = [0] * len(COUNTS)
    delta = {}
    for key in set(before) | set(after):
        change = [a - b for a, b in zip(after.get(key, zero), before.get(key, zero), strict=True)]
        if any(change):
            delta[key] = change
    if not delta:
        return
    hours = sorted({key[0] for key in delta})
    if connection.dialect.name == "postgresql":
        # One statement for all the hours (a backfill touches hundreds), taken in the
        # array's ascending order as unnest yields it.
        connection.execute(
            text("SELECT count(pg_advisory_xact_lock(:lock_class, hour)) "
                 "FROM unnest(CAST(:hours AS integer[])) AS hour"),
            {"lock_class": LOCK_CLASS, "hours": [int((hour - EPOCH) / HOUR) for hour in hours]},
        )  # fmt: skip
    by_channel: dict[tuple[datetime, str], list[int]] = {}
    for (hour, channel, _, _), change in delta.items():
        summed = by_channel.get((hour, channel), zero)
        by_channel[(hour, channel)] = [a + b for a, b in zip(summed, change, strict=True)]
    _add(connection, post_rollups, ["hour", "channel", "product", "topics"], delta)
    _add(connection, channel_rollups, ["hour", "channel"], by_channel)
    for table in (post_rollups, channel_rollups):
        for part in chunks(hours):
            connection.execute(
                delete(table).where(and_(among(connection, table.c.hour, part), table.c.posts <= 0))
            )


def _add(connection: Connection, table, key_names: list[str], delta: Mapping) -> None:
    """Upsert each key's counts, adding to a row that is there (sorted: no deadlocks)."""
    statement = _upsert(table, tuple(key_names), connection.dialect.name)
    rows = [
        dict(zip(key_names, key, strict=True)) | dict(zip(COUNTS, change, strict=True))
        for key, change in sorted(delta.items())
    ]
    insert_rows(connection, statement, rows)


@cache
def _upsert(table: Table, key_names: tuple[str, ...], dialect_name: str) -> Insert:
    """INSERT … ON CONFLICT (the key) DO UPDATE adding the counts, built once per dialect."""
    statement = conflict_insert(table, dialect_name)
    return statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in key_names],
        set_={name: table.c[name] + statement.excluded[name] for name in COUNTS},
    )


def _as_hour(value, dialect: str) -> datetime:
    """The hour column as the rollup stores it, read back from the grouped select."""
    if isinstance(value, datetime):
        return floor_hour(value)
    # SQLite: the text the bucket expression made, read as the UTC hour it names.
    parsed = UtcDateTime().process_result_value(datetime.fromisoformat(value), dialect)
    assert parsed is not None
    return floor_hour(parsed)
