"""Sources: their config as last seen, checkpoint state, schedule and last run result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from data.engine import READ_ONLY
from data.inserts import insert_ignoring_duplicates
from data.schema import collection_runs, sources
from hundredfold.redaction import redact, scrub

INTERRUPTED = "interrupted"
INTERRUPTED_MESSAGE = "the collector stopped before this run ended; closed by the next run"


# The columns read here, named: a database still being migrated may lack later ones (leases).
_RECORDED = [sources.c[name] for name in ("id", "name", "kind", "channel", "state", "next_due_at")]
_SYNCED = [*_RECORDED, *(sources.c[name] for name in (
    "settings", "every_seconds", "last_error", "last_warning"))]  # fmt: skip


@dataclass(frozen=True)
class SourceSpec:
    """A source as configured: what the collector is and how often it runs."""

    name: str
    kind: str
    channel: str
    settings: dict[str, Any]
    every_seconds: int


@dataclass(frozen=True)
class SourceRecord:
    """A stored source with the state its next run resumes from."""

    id: int
    name: str
    kind: str
    channel: str
    state: dict[str, Any]
    next_due_at: datetime | None


def sync_sources(engine: Engine, specs: list[SourceSpec]) -> dict[str, SourceRecord]:
    """Insert or update configured sources by name; their stored state is kept.

    Settings are stored without their secrets (see `scrub`); rows written before that was so,
    configured or not, are scrubbed here too.
    """
    with engine.begin() as connection:
        existing = {row.name: row for row in connection.execute(select(*_SYNCED))}
        _scrub_stored(connection, list(existing.values()))
        for spec in specs:
            values = {
                "kind": spec.kind,
                "channel": spec.channel,
                "settings": scrub(spec.settings),
                "every_seconds": spec.every_seconds,
            }
            row = existing.get(spec.name)
            if row is None:
                # Collectors starting together on a new config race to add it: one wins.
                row_values = {"name": spec.name, "state": {}, **values}
                insert_ignoring_duplicates(connection, sources, [row_values])
            elif row.kind != spec.kind:
                # Another kind under the same name is another source: its cursor means nothing.
                connection.execute(
                    update(sources)
                    .where(sources.c.id == row.id)
                    .values(state={}, next_due_at=None, **values)
                )
            elif any(getattr(row, key) != value for key, value in values.items()):
                connection.execute(update(sources).where(sources.c.id == row.id).values(**values))
    return source_records(engine, [spec.name for spec in specs])


def source_records(engine: Engine, names: list[str]) -> dict[str, SourceRecord]:
    """The stored sources by name, with the checkpoint state their next run resumes from."""
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(select(*_RECORDED).where(sources.c.name.in_(names)))
        return {
            row.name: SourceRecord(
                row.id, row.name, row.kind, row.channel, dict(row.state or {}), row.next_due_at
            )
            for row in rows
        }


def _scrub_stored(connection: Connection, rows: list[Any]) -> None:
    """Hide secrets an older version stored in sources' settings and last messages."""
    for row in rows:
        values = {
            "settings": scrub(row.settings or {}),
            "last_error": row.last_error and redact(row.last_error),
            "last_warning": row.last_warning and redact(row.last_warning),
        }
        if any(getattr(row, key) != value for key, value in values.items()):
            connection.execute(update(sources).where(sources.c.id == row.id).values(**values))


def start_run(engine: Engine, source_id: int, now: datetime) -> int:
    """Record the start of a source's run; returns the run id.

    A run of the source still marked running was left so by a collector that was stopped
    (killed, or its machine went down): only the collector leasing a source runs it, and that
    is this one now. Such runs are closed as interrupted.
    """
    with engine.begin() as connection:
        connection.execute(
            update(collection_runs)
            .where(collection_runs.c.source_id == source_id, collection_runs.c.status == "running")
            .values(status=INTERRUPTED, finished_at=now, message=INTERRUPTED_MESSAGE)
        )
        result = connection.execute(
            collection_runs.insert().values(source_id=source_id, started_at=now, status="running")
        )
        key = result.inserted_primary_key
        assert key is not None  # an INSERT of one row always reports its key
        return int(key[0])


def finish_run(
    engine: Engine,
    source_id: int,
    run_id: int,
    *,
    now: datetime,
    every_seconds: int,
    counts: dict[str, int],
    error: str | None,
    warning: str | None,
) -> str:
    """Record how a run ended on the run and on its source; returns the status."""
    status = "error" if error else "warning" if warning else "ok"
    error, warning = error and redact(error), warning and redact(warning)
    source_values: dict[str, Any] = {
        "last_run_at": now,
        "last_status": status,
        "next_due_at": now + timedelta(seconds=every_seconds),
        "last_warning": warning,
        "last_warning_at": now if warning else None,
    }
    if error:
        source_values |= {"last_error": error, "last_error_at": now}
    else:
        source_values["last_success_at"] = now
    with engine.begin() as connection:
        connection.execute(
            update(collection_runs)
            .where(collection_runs.c.id == run_id)
            .values(finished_at=now, status=status, message=error or warning, **counts)
        )
        connection.execute(update(sources).where(sources.c.id == source_id).values(**source_values))
    return status
