"""The collection run: due sources -> collectors -> brand filter -> sentiment -> storage."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from collectors import COLLECTORS
from collectors.run import Job, run_jobs
from data import (
    BatchCounts,
    SourceSpec,
    finish_run,
    start_run,
    sync_sources,
)
from data.cases import expire_holds
from data.leases import upkeep_turn
from data.sources import source_records
from hundredfold.alerting import evaluate_alerts
from hundredfold.batches import StartedBatch, finish_batch, start_batch
from hundredfold.config import Config, SourceConfig
from hundredfold.lease_keeper import LeaseKeeper
from hundredfold.redaction import is_env_reference, redact
from hundredfold.retention import apply_retention

log = logging.getLogger("hundredfold.collect")
MAX_WARNINGS_KEPT = 5


def utc_now() -> datetime:
    """The current time, aware UTC (the one clock tests may replace)."""
    return datetime.now(UTC)


@dataclass
class SourceOutcome:
    """How one source's run went."""

    name: str
    kind: str
    status: str = "running"
    counts: BatchCounts = field(default_factory=BatchCounts)
    posts_dropped: int = 0
    posts_past_retention: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """A JSON-ready summary."""
        return {
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            **asdict(self.counts),
            "posts_not_about_brand": self.posts_dropped,
            "posts_past_retention": self.posts_past_retention,
            "error": self.error,
            "warnings": self.warnings,
        }


def source_specs(sources: Iterable[SourceConfig]) -> list[SourceSpec]:
    """What storage keeps of each configured source: a secret as its `{ env = NAME }`."""
    return [
        SourceSpec(s.name, s.kind, s.channel, stored_settings(s), s.every_seconds) for s in sources
    ]


def stored_settings(source: SourceConfig) -> dict[str, Any]:
    """The source's settings with each value read from the environment as its reference."""
    settings = asdict(source.settings)
    return settings | {
        k: v for k, v in source.table.items() if k in settings and is_env_reference(v)
    }


def collect(
    config: Config,
    engine: Engine,
    *,
    sources: list[SourceConfig] | None = None,
    due_only: bool = False,
    now: Callable[[], datetime] = utc_now,
    on_progress: Callable[[SourceOutcome], None] | None = None,
    upkeep: bool = True,
) -> list[SourceOutcome]:
    """Run sources (all, or only those due), storing each batch as it arrives; then, unless
    `upkeep` is off (`hundredfold serve` keeps its own clock for it), apply retention, expire
    stale holds and evaluate the alerts."""
    sources = config.sources if sources is None else sources
    with LeaseKeeper(engine, config.collector_lease_seconds, now) as leases:
        outcomes = _run_sources(config, engine, sources, leases, due_only, now, on_progress)
    if upkeep:
        keep_up(config, engine, now())
    return outcomes


def _run_sources(
    config: Config,
    engine: Engine,
    sources: list[SourceConfig],
    leases: LeaseKeeper,
    due_only: bool,
    now: Callable[[], datetime],
    on_progress: Callable[[SourceOutcome], None] | None,
) -> list[SourceOutcome]:
    """Run the sources this collector leases (others may be running the rest), storing each
    batch as it arrives and recording each run."""
    synced = sync_sources(engine, source_specs(sources))
    started = now()
    ids = {name: record.id for name, record in synced.items()}
    held = leases.take(list(ids.values()), due_only=due_only, at=started)
    chosen = [source for source in sources if ids[source.name] in held]
    for source in sources:
        if not due_only and ids[source.name] not in held:
            log.warning("source %s is being collected by another collector; skipped", source.name)
    # Read after leasing: a collector that ran the source a moment ago moved its checkpoint.
    records = source_records(engine, [source.name for source in chosen])
    by_name = {source.name: source for source in chosen}
    outcomes = {s.name: SourceOutcome(s.name, s.kind) for s in chosen}
    runs = {s.name: start_run(engine, records[s.name].id, started) for s in chosen}
    jobs = [Job(s.name, COLLECTORS[s.kind](s.settings), records[s.name].state) for s in chosen]
    in_hand = _BatchInHand(config, engine, outcomes, now, on_progress)
    for event in run_jobs(jobs, timeout=config.source_timeout):
        source, outcome = by_name[event.job.name], outcomes[event.job.name]
        record = records[source.name]
        # After a failed store, later batches of that source are not stored: their
        # checkpoints would skip the posts that failed, and the next run re-fetches them.
        if event.batch is not None and outcome.error is None:
            try:
                started_batch = start_batch(config, engine, record.id, source.channel,
                                            event.batch, now(), outcome, source.model)  # fmt: skip
            except Exception as error:  # storage failing for one source must not stop the others
                _failed(source.name, outcome, error)
            else:
                # The workers score this batch while the one before is stored.
                in_hand.finish()
                in_hand.pending = (source.name, started_batch)
        if event.finished:
            in_hand.finish()
            wait = 0
            if event.retry_after is not None and outcome.error is None:
                # The source asked us to wait: what was fetched is stored, the run is not a
                # failure, and the source is not due again before the wait is over.
                wait = int(event.retry_after)
                outcome.warnings.append(f"{event.error} (next run after {wait} s)")
            else:
                outcome.error = outcome.error or event.error
            warning = _summarise_warnings(outcome.warnings)
            outcome.status = finish_run(
                engine,
                record.id,
                runs[source.name],
                now=now(),
                every_seconds=max(source.every_seconds, wait),
                counts=asdict(outcome.counts),
                error=outcome.error,
                warning=warning,
            )
            leases.give_back(record.id)
            if on_progress:
                on_progress(outcome)
    in_hand.finish()
    return [outcomes[s.name] for s in chosen]


@dataclass
class _BatchInHand:
    """The batch started last, stored when the next one has been handed to the workers."""

    config: Config
    engine: Engine
    outcomes: dict[str, SourceOutcome]
    now: Callable[[], datetime]
    on_progress: Callable[[SourceOutcome], None] | None
    pending: tuple[str, StartedBatch] | None = None

    def finish(self) -> None:
        """Store the batch in hand, if any (not if an earlier batch of its source failed)."""
        if self.pending is None:
            return
        (name, started), self.pending = self.pending, None
        outcome = self.outcomes[name]
        if outcome.error is None:
            try:
                finish_batch(self.config, self.engine, started, self.now(), outcome)
            except Exception as error:  # one source's failure must not stop the others
                _failed(name, outcome, error)
        if self.on_progress:
            self.on_progress(outcome)


def _failed(name: str, outcome: SourceOutcome, error: Exception) -> None:
    """Record that storing a batch of a source failed: its later batches are not stored."""
    log.exception("storing a batch from %s failed", name)
    outcome.error = redact(f"storing a batch failed: {type(error).__name__}: {error}")


def keep_up(config: Config, engine: Engine, now: datetime) -> None:
    """What time alone changes: retention, stale claims and ended snoozes, and the alerts."""
    with upkeep_turn(engine) as mine:
        if not mine:
            return  # another collector on this database is doing it this round
        apply_retention(config, engine, now)
        expire_holds(engine, now, timedelta(seconds=config.claim_timeout_seconds))
        evaluate_alerts(config, engine, now)


def _summarise_warnings(warnings: list[str]) -> str | None:
    """One line for the source: the first few warnings and how many more there were."""
    if not warnings:
        return None
    shown = "; ".join(warnings[:MAX_WARNINGS_KEPT])
    more = len(warnings) - MAX_WARNINGS_KEPT
    return f"{shown}; and {more} more" if more > 0 else shown
