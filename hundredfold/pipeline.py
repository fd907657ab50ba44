"""The collection run: due sources -> collectors -> brand filter -> sentiment -> storage."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from collectors import COLLECTORS
from collectors.base import Batch, Post
from collectors.run import Job, run_jobs
from data import (
    BatchCounts,
    ScoredPost,
    SourceSpec,
    cached_scores,
    finish_run,
    start_run,
    sync_sources,
)
from data.cases import expire_holds
from data.leases import upkeep_turn
from data.quarantine import save_or_quarantine
from data.sources import source_records
from hundredfold.alerting import evaluate_alerts
from hundredfold.config import Config, SourceConfig
from hundredfold.lease_keeper import LeaseKeeper
from hundredfold.redaction import is_env_reference, redact
from hundredfold.retention import apply_retention, retention_cutoff
from hundredfold.sane_dates import sane_dates
from sentiment import detect_language, model_ids
from sentiment.complaint_topics import complaint_topics
from sentiment.pool import analyse_pooled, default_workers, detect_and_analyse
from sentiment.record import Sentiment

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
    for event in run_jobs(jobs, timeout=config.source_timeout):
        source, outcome = by_name[event.job.name], outcomes[event.job.name]
        record = records[source.name]
        # After a failed store, later batches of that source are not stored: their
        # checkpoints would skip the posts that failed, and the next run re-fetches them.
        if event.batch is not None and outcome.error is None:
            try:
                store_batch(config, engine, record.id, source.channel, event.batch, now(),
                            outcome, source.model)  # fmt: skip
            except Exception as error:  # storage failing for one source must not stop the others
                log.exception("storing a batch from %s failed", source.name)
                outcome.error = redact(f"storing a batch failed: {type(error).__name__}: {error}")
            if on_progress:
                on_progress(outcome)
        if event.finished:
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
    return [outcomes[s.name] for s in chosen]


def keep_up(config: Config, engine: Engine, now: datetime) -> None:
    """What time alone changes: retention, stale claims and ended snoozes, and the alerts."""
    with upkeep_turn(engine) as mine:
        if not mine:
            return  # another collector on this database is doing it this round
        apply_retention(config, engine, now)
        expire_holds(engine, now, timedelta(seconds=config.claim_timeout_seconds))
        evaluate_alerts(config, engine, now)


def store_batch(
    config: Config,
    engine: Engine,
    source_id: int,
    channel: str,
    batch: Batch,
    now: datetime,
    outcome: SourceOutcome,
    model: str | None = None,
) -> None:
    """Filter, score (with `model`, else the config's) and store one batch with its
    checkpoint; a row that cannot be stored is quarantined, the rest go on."""
    outcome.warnings.extend(redact(warning) for warning in batch.warnings)
    about_brand = [post for post in batch.posts if is_about_brand(post, config.brand_terms)]
    outcome.posts_dropped += len(batch.posts) - len(about_brand)
    # Before anything reads a date: one from year 9999 would break the whole batch.
    about_brand, dates_given, date_warnings = sane_dates(about_brand, now)
    outcome.warnings.extend(redact(warning) for warning in date_warnings)
    # Already past retention (a full export re-read): stored, it would be scored only for the
    # next purge to delete it.
    cutoff = retention_cutoff(config, now)
    kept = [post for post in about_brand if not cutoff or (post.published_at or now) >= cutoff]
    outcome.posts_past_retention += len(about_brand) - len(kept)
    scored = [
        replace(item, published_given=dates_given.get(item.post.external_id))
        for item in score_posts(config, engine, kept, model)
    ]
    counts, rejected = save_or_quarantine(
        engine,
        source_id,
        channel,
        scored,
        batch.state,
        now=now,
        threshold=config.negative_threshold,
        sla=config.sla(),
    )
    outcome.warnings.extend(redact(warning) for warning in rejected)
    outcome.counts.add(counts)


def is_about_brand(post: Post, brand_terms: list[str]) -> bool:
    """Whether the post mentions one of the brand's aliases (no aliases: every post is)."""
    if not brand_terms:
        return True
    text = post.text.lower()
    return any(term.lower() in text for term in brand_terms)


def product_of(text: str, products: dict[str, list[str]]) -> str | None:
    """The first configured product whose name or alias the text mentions."""
    lowered = text.lower()
    for name, aliases in products.items():
        if any(alias.lower() in lowered for alias in [name, *aliases]):
            return name
    return None


def score_posts(
    config: Config, engine: Engine, posts: list[Post], model: str | None = None
) -> list[ScoredPost]:
    """Language, sentiment by `model` (reused for texts scored before), topics and product of
    each post."""
    model = model or config.model

    workers = config.scoring_workers or default_workers()

    def score(texts: list[str], languages: list[str] | None = None) -> list[Sentiment]:
        return analyse_pooled(texts, languages, model, workers)

    # A text scored before is not scored again, but only a score by this model is reused: a
    # source set to `default` never inherits another source's `fast` scores.
    known = cached_scores(engine, [post.content_hash for post in posts], model_ids(model))
    missing = [i for i, post in enumerate(posts) if post.content_hash not in known]
    # The languages of the texts to score are detected in the scoring workers, beside them.
    found, fresh = detect_and_analyse([posts[i].text for i in missing], None, model, workers)
    detected = dict(zip(missing, found, strict=True))
    languages = [detected.get(i) or detect_language(post.text) for i, post in enumerate(posts)]
    for index, record in zip(missing, fresh, strict=True):
        known[posts[index].content_hash] = record
    records = [known[post.content_hash] for post in posts]
    topics = complaint_topics(
        [post.text for post in posts], languages, records, score,
        config.topic_terms, config.negative_threshold,
    )  # fmt: skip
    return [
        ScoredPost(
            post=post,
            language=language,
            sentiment=record,
            topics=post_topics,
            product=product_of(post.text, config.products),
        )
        for post, language, record, post_topics in zip(
            posts, languages, records, topics, strict=True
        )
    ]


def _summarise_warnings(warnings: list[str]) -> str | None:
    """One line for the source: the first few warnings and how many more there were."""
    if not warnings:
        return None
    shown = "; ".join(warnings[:MAX_WARNINGS_KEPT])
    more = len(warnings) - MAX_WARNINGS_KEPT
    return f"{shown}; and {more} more" if more > 0 else shown
