"""The demo's history: a team that started `INSTALLED` ago and has been working since.

The sample's files are read once by the real collectors; their posts are then stored by
the pipeline's own scoring and storage at the moments a collector running every `ROUND`
would have stored them (the first collection finds the older posts already late: a
backfill). Between the collections the team's managers claim, answer and resolve cases
through the real case transitions (`hundredfold.demo.team`), and the real alert rules are
judged every `ALERT_EVERY` over the last days, so the refund burst raises its spike, SLA
warnings open and close, and forgotten cases turn overdue — each at the time it happened.
No row is written by hand. A database that already holds the sample is only collected
again (nothing new arrives), so loading twice changes nothing.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from collectors import COLLECTORS
from collectors.run import Job, run_jobs
from data import ScoredPost, finish_run, save_batch, start_run, sync_sources
from data.access import Actor
from data.alerts import acknowledge_alert, evaluate
from data.schema import alerts, cases, posts
from data.sources import source_records
from hundredfold.batches import is_about_brand, score_posts
from hundredfold.config import Config, SourceConfig
from hundredfold.demo import load_demo_posts
from hundredfold.demo.team import LEAD, CaseFacts, Step, carry_out, is_working, plan
from hundredfold.pipeline import SourceOutcome, collect, keep_up, source_specs
from hundredfold.redaction import redact

INSTALLED = timedelta(days=29)  # the Overview's and Team page's 30 days hold all of it
ROUND = timedelta(hours=3)
ALERTS_SINCE = timedelta(days=5)  # judged over these days: the refund burst and after
ALERT_EVERY = timedelta(hours=1)
_TRAILING_DIGITS = re.compile(r"(\d+)$")


@dataclass
class _Source:
    """One demo source: its record, what its collector read, and how its run went."""

    config: SourceConfig
    source_id: int
    outcome: SourceOutcome
    read: list = field(default_factory=list)
    scored: list[ScoredPost] = field(default_factory=list)
    state: dict | None = None


def load_demo(
    config: Config,
    engine: Engine,
    now: datetime,
    on_progress: Callable[[SourceOutcome], None] | None = None,
) -> list[SourceOutcome]:
    """Store the demo sources' posts with their history up to `now`; each source's outcome."""
    sync_sources(engine, source_specs(config.sources))
    records = source_records(engine, [source.name for source in config.sources])
    ids = [record.id for record in records.values()]
    with engine.connect() as connection:
        stored = connection.execute(
            select(func.count()).select_from(posts).where(posts.c.source_id.in_(ids))
        ).scalar_one()
    if stored:  # loaded before: its history is there already
        return collect(config, engine, now=lambda: now, on_progress=on_progress)
    demo = {
        s.name: _Source(s, records[s.name].id, SourceOutcome(s.name, s.kind))
        for s in config.sources
    }
    runs = {name: start_run(engine, item.source_id, now) for name, item in demo.items()}
    _read(config, demo, records)
    for item in demo.values():
        item.scored = score_posts(config, engine, item.read, item.config.model)
    _replay(config, engine, demo, now)
    for name, item in demo.items():
        warning = "; ".join(item.outcome.warnings[:5]) or None
        item.outcome.status = finish_run(
            engine, item.source_id, runs[name], now=now,
            every_seconds=item.config.every_seconds,
            counts={k: v for k, v in vars(item.outcome.counts).items()},
            error=item.outcome.error, warning=warning,
        )  # fmt: skip
        if on_progress:
            on_progress(item.outcome)
    keep_up(config, engine, now)  # as every collection ends: retention, holds, alerts now
    return [item.outcome for item in demo.values()]


def _read(config: Config, demo: dict[str, _Source], records: dict) -> None:
    """Each source's posts about the brand, read once by its real collector."""
    jobs = [
        Job(name, COLLECTORS[item.config.kind](item.config.settings), records[name].state)
        for name, item in demo.items()
    ]
    for event in run_jobs(jobs, timeout=config.source_timeout):
        item = demo[event.job.name]
        if event.batch is not None:
            item.outcome.warnings.extend(redact(w) for w in event.batch.warnings)
            about = [p for p in event.batch.posts if is_about_brand(p, config.brand_terms)]
            item.outcome.posts_dropped += len(event.batch.posts) - len(about)
            item.read.extend(about)
            item.state = event.batch.state
        if event.finished and event.error:
            item.outcome.error = redact(event.error)


def _replay(
    config: Config,
    engine: Engine,
    demo: dict[str, _Source],
    now: datetime,
) -> None:
    """Collections, the team's steps and alert evaluations, in the order they happened."""
    # Every ROUND at first; every hour over the days the alert rules are judged, as a
    # collector every few minutes would have it (a window not collected yet looks quiet).
    judged_from = now - ALERTS_SINCE
    moments: list[tuple[datetime, str]] = []
    moment = now - INSTALLED
    while moment < now:
        moments.append((moment, "collect"))
        if moment >= judged_from:
            moments.append((moment, "alerts"))
        moment += ROUND if moment < judged_from else ALERT_EVERY
    moments.append((now, "collect"))
    moments.sort(key=lambda pair: (pair[0], pair[1] != "collect"))
    planned: list[tuple[datetime, int, Step]] = []
    samples = _sample_facts()
    facts_of: dict[int, dict] = {}
    seen_case, collected, order = 0, None, 0
    sla = config.sla()
    silent_after = timedelta(seconds=config.silent_after_seconds)
    for moment, what in moments:
        while planned and planned[0][0] <= moment:
            _, _, step = heapq.heappop(planned)
            carry_out(engine, step, facts_of[step.case_id], config.brand_name or "Aurora", sla)
        if what == "alerts":
            # No routes: what happened weeks ago is not sent to anyone's chat today.
            evaluate(engine, moment, config.alerting.rules, threshold=config.negative_threshold,
                     sla=sla, silent_after=silent_after)  # fmt: skip
            if is_working(moment, config.timezone):
                _acknowledge_spikes(engine, moment)
            continue
        for item in demo.values():
            batch = [s for s in item.scored if _due(s, collected, moment)]
            last = moment == now
            if not batch and not last:
                continue
            counts = save_batch(
                engine, item.source_id, item.config.channel, batch,
                item.state if last else None, now=moment,
                threshold=config.negative_threshold, sla=sla,
            )  # fmt: skip
            item.outcome.counts.add(counts)
        collected = moment
        for facts, extra in _new_cases(engine, seen_case, samples):
            seen_case = max(seen_case, facts.case_id)
            facts_of[facts.case_id] = extra
            for step in plan(facts, config.timezone):
                if step.at <= now:
                    order += 1
                    heapq.heappush(planned, (step.at, order, step))


def _acknowledge_spikes(engine: Engine, moment: datetime) -> None:
    """The lead acknowledges an open spike when at work: the team is on it."""
    with engine.connect() as connection:
        waiting = connection.execute(
            select(alerts.c.id).where(alerts.c.kind == "spike", alerts.c.closed_at.is_(None),
                                      alerts.c.acknowledged_by.is_(None))
        ).scalars().all()  # fmt: skip
    for alert_id in waiting:
        acknowledge_alert(engine, alert_id, Actor(LEAD, "lead"), moment)


def _due(item: ScoredPost, after: datetime | None, until: datetime) -> bool:
    """Whether a collection at `until` (the one before at `after`) stores this post."""
    published = item.post.published_at or until
    return published <= until and (after is None or published > after)


def _sample_facts() -> dict[str, dict]:
    """What each sample post was written as (intent, topic, incident), by its number."""
    return {post["id"]: post for post in load_demo_posts()}


def _new_cases(engine: Engine, after: int, samples: dict[str, dict]):
    """Cases opened since case `after`, with what their plan and their reply need."""
    query = (
        select(cases.c.id, cases.c.opened_at, cases.c.backfill, posts.c.published_at,
               posts.c.external_id, posts.c.url, posts.c.author, posts.c.language)
        .join(posts, posts.c.id == cases.c.post_id)
        .where(cases.c.id > after)
        .order_by(cases.c.id)
    )  # fmt: skip
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    for row in rows:
        number = _TRAILING_DIGITS.search(row.external_id or "")
        sample = samples.get(number.group(1) if number else "", {})
        intent, incident = sample.get("intent", "negative"), bool(sample.get("incident"))
        facts = CaseFacts(row.id, row.opened_at, row.published_at, bool(row.backfill), intent,
                          incident)  # fmt: skip
        extra = {"url": row.url, "author": row.author, "lang": row.language,
                 "topic": sample.get("topic")}  # fmt: skip
        yield facts, extra
