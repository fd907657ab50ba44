"""The demo's support team: three managers who work the cases as they come, planned per case.

Each plan is a few steps (claim, reply, resolve, not a complaint, close without a reply) at
generated times; `hundredfold.demo.history` carries them out through the real case
transitions of `data.cases`, in time order, as the collector and the alert rules go on.
The plans are seeded by case, so a load gives the same story every time.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from data.access import Actor, Refused
from data.cases import claim_case, mark_not_a_complaint, reply_case, resolve_case
from data.schema import cases
from data.sla import SlaPolicy
from hundredfold.reply_templates import draft

SEED = 20240611
LEAD = "lin"
# Who takes a case, and how often: the lead answers fewer, the two managers most.
MANAGERS = {"ana": 0.42, "omar": 0.36, LEAD: 0.22}
WORKDAY = (time(8, 0), time(23, 0))  # local hours the team answers in
FORGOTTEN = 0.05  # cases nobody ever picks up: they end up overdue, then in the backfill lane
STAYS_REPLIED = 0.15  # replied, waiting for the customer: not resolved yet
MEDIAN_WAIT_HOURS = 1.0  # from the post to the claim, on an ordinary day
INCIDENT_SLOWDOWN = 3.0  # the refund burst swamps the team: waits three times as long
# Backfilled cases (already late when the first collection found them): the lead closes most
# of them unanswered in the days after, a few get a late reply, the newest stay in the lane.
BACKFILL_CLOSED, BACKFILL_ANSWERED = 0.8, 0.04


@dataclass(frozen=True)
class Step:
    """One transition to make on a case at a time, as someone."""

    at: datetime
    case_id: int
    action: str  # claim, reply, resolve, not_a_complaint, close
    actor: str
    note: str = ""


@dataclass(frozen=True)
class CaseFacts:
    """What the plan of a case depends on."""

    case_id: int
    opened_at: datetime
    published_at: datetime
    backfill: bool
    intent: str  # what the demo post was written as: positive, neutral or negative
    incident: bool


def plan(facts: CaseFacts, zone: str) -> list[Step]:
    """The steps the team takes on one case (none for a forgotten one)."""
    rng = random.Random(SEED * 100_003 + facts.case_id)
    if facts.backfill:
        return _backfill_plan(rng, facts, zone)
    if rng.random() < FORGOTTEN:
        return []
    manager = rng.choices(list(MANAGERS), weights=list(MANAGERS.values()))[0]
    wait = timedelta(hours=rng.lognormvariate(math.log(MEDIAN_WAIT_HOURS), 0.7))
    if facts.incident:
        wait *= INCIDENT_SLOWDOWN
    claim = _working(max(facts.opened_at, facts.published_at + wait), zone, rng)
    steps = [Step(claim, facts.case_id, "claim", manager)]
    if facts.intent == "positive":  # praise the model took for a complaint
        return steps + [Step(claim + _minutes(rng, 1, 5), facts.case_id, "not_a_complaint",
                             manager, "praise, not a complaint")]  # fmt: skip
    reply = claim + _minutes(rng, 4, 35)
    steps.append(Step(reply, facts.case_id, "reply", manager))
    if rng.random() >= STAYS_REPLIED:
        resolved = _working(reply + timedelta(hours=rng.uniform(2, 40)), zone, rng)
        steps.append(Step(resolved, facts.case_id, "resolve", manager))
    return steps


def _backfill_plan(rng: random.Random, facts: CaseFacts, zone: str) -> list[Step]:
    """Late before anyone saw it: mostly closed unanswered, now and then answered late."""
    roll = rng.random()
    later = _working(facts.opened_at + timedelta(hours=rng.uniform(1, 72)), zone, rng)
    if roll < BACKFILL_CLOSED:
        return [Step(later, facts.case_id, "close", LEAD)]
    if roll < BACKFILL_CLOSED + BACKFILL_ANSWERED:
        manager = rng.choice(list(MANAGERS))
        reply = later + _minutes(rng, 4, 30)
        return [Step(later, facts.case_id, "claim", manager),
                Step(reply, facts.case_id, "reply", manager),
                Step(reply + timedelta(hours=rng.uniform(4, 30)), facts.case_id, "resolve",
                     manager)]  # fmt: skip
    return []


def _minutes(rng: random.Random, low: float, high: float) -> timedelta:
    """A few minutes, between `low` and `high`."""
    return timedelta(minutes=rng.uniform(low, high))


def is_working(moment: datetime, zone: str) -> bool:
    """Whether the team is at work at `moment` (local time in `zone`)."""
    opens, closes = WORKDAY
    return opens <= moment.astimezone(ZoneInfo(zone)).time() < closes


def _working(moment: datetime, zone: str, rng: random.Random) -> datetime:
    """`moment`, or the start of the next working day (plus a coffee) when it falls at night."""
    local = moment.astimezone(ZoneInfo(zone))
    opens, closes = WORKDAY
    if is_working(moment, zone):
        return moment
    day = local.date() + timedelta(days=1 if local.time() >= closes else 0)
    start = datetime.combine(day, opens, ZoneInfo(zone)) + _minutes(rng, 0, 75)
    return start.astimezone(moment.tzinfo)


def carry_out(engine: Engine, step: Step, post: dict, brand: str, sla: SlaPolicy) -> bool:
    """Make the step's transition through `data.cases`; False when the case refused it (a
    duplicate answered with its twin, say) — the team then simply moves on."""
    actor = Actor(step.actor, "lead" if step.actor == LEAD else "manager")
    try:
        if step.action == "claim":
            claim_case(engine, step.case_id, actor, step.at)
        elif step.action == "reply":
            key = {"refund": "refund", "delivery": "delivery"}.get(post.get("topic") or "")
            text = draft(key or "apology", post.get("lang", "en"), post.get("author", ""), brand)
            url = f"{post.get('url') or 'https://www.aurora-home.example/support'}#reply"
            reply_case(engine, step.case_id, actor, step.at, url, text, sla=sla)
        elif step.action == "not_a_complaint":
            mark_not_a_complaint(engine, step.case_id, actor, step.at, step.note or None)
        else:  # resolve, or close a backfilled case without a reply
            if not actor.is_lead and _held_by_another(engine, step.case_id, actor.name):
                return False  # a twin answered by a colleague: theirs to close, not a refusal
            resolve_case(engine, step.case_id, actor, step.at)
    except Refused:
        return False
    return True


def _held_by_another(engine: Engine, case_id: int, name: str) -> bool:
    """Whether a colleague holds the case (the team does not try what it may not do)."""
    with engine.connect() as connection:
        holder = connection.execute(
            select(cases.c.assignee).where(cases.c.id == case_id)
        ).scalar_one_or_none()
    return bool(holder) and holder != name
