"""Source leases: several collectors on one database share the sources, each due source
taken by exactly one of them; a lease expires, so a killed collector's sources are taken over.

On PostgreSQL the rows are claimed with `FOR UPDATE SKIP LOCKED`: collectors asking at the
same moment never wait for each other and never get the same source. On SQLite one collector
runs at a time (`hundredfold.collector_lock`), and the same statements simply grant it all.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Engine, and_, or_, select, text, update

from data.schema import sources

# Alert evaluation runs on one collector at a time: the key of its PostgreSQL advisory lock.
UPKEEP_LOCK_KEY = 0x48_46_55_50  # "HFUP"


@cache
def worker_name() -> str:
    """This process's name in leases: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def lease_sources(
    engine: Engine,
    source_ids: list[int],
    *,
    now: datetime,
    lease: timedelta,
    due_only: bool,
    worker: str | None = None,
) -> set[int]:
    """Lease those of `source_ids` that no live lease holds (and, with `due_only`, that are
    due); returns the ids this worker now holds until `now + lease`."""
    if not source_ids:
        return set()
    worker = worker or worker_name()
    free = or_(sources.c.lease_expires_at.is_(None), sources.c.lease_expires_at <= now)
    wanted = and_(sources.c.id.in_(source_ids), free)
    if due_only:
        wanted = and_(wanted, or_(sources.c.next_due_at.is_(None), sources.c.next_due_at <= now))
    candidates = select(sources.c.id).where(wanted)
    if engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    with engine.begin() as connection:
        # One statement: the rows locked by the subquery are the rows updated, so two
        # collectors asking at once split the due sources between them.
        rows = connection.execute(
            update(sources)
            .where(sources.c.id.in_(candidates.scalar_subquery()))
            .values(lease_owner=worker, lease_expires_at=now + lease)
            .returning(sources.c.id)
        )
        return {row.id for row in rows}


def renew_leases(
    engine: Engine,
    source_ids: set[int],
    *,
    now: datetime,
    lease: timedelta,
    worker: str | None = None,
) -> set[int]:
    """Extend this worker's leases on `source_ids` to `now + lease`; returns those still held
    (a lease that ran out and was taken over is not taken back)."""
    if not source_ids:
        return set()
    worker = worker or worker_name()
    with engine.begin() as connection:
        rows = connection.execute(
            update(sources)
            .where(sources.c.id.in_(source_ids), sources.c.lease_owner == worker)
            .values(lease_expires_at=now + lease)
            .returning(sources.c.id)
        )
        return {row.id for row in rows}


def release_lease(engine: Engine, source_id: int, worker: str | None = None) -> None:
    """Give a source back (its run is recorded); only the holder's lease is released."""
    worker = worker or worker_name()
    with engine.begin() as connection:
        connection.execute(
            update(sources)
            .where(sources.c.id == source_id, sources.c.lease_owner == worker)
            .values(lease_owner=None, lease_expires_at=None)
        )


def lease_holders(engine: Engine, now: datetime) -> dict[str, str]:
    """Source name -> the collector holding a live lease on it, now."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(sources.c.name, sources.c.lease_owner).where(
                sources.c.lease_owner.is_not(None), sources.c.lease_expires_at > now
            )
        )
        return {row.name: row.lease_owner for row in rows}


@contextmanager
def upkeep_turn(engine: Engine) -> Iterator[bool]:
    """Whether this process may run alert evaluation now: on PostgreSQL one collector at a
    time holds an advisory lock for it (the others skip the round); on SQLite always."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        held = bool(
            connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": UPKEEP_LOCK_KEY}
            ).scalar()
        )
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": UPKEEP_LOCK_KEY}
                )
                connection.commit()
