"""The case life cycle on SQLite and PostgreSQL: transitions, refusals, audit trail, races."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.access import AccessRefused
from data.cases import (
    Actor,
    TransitionRefused,
    claim_case,
    expire_holds,
    mark_not_a_complaint,
    release_case,
    reopen_case,
    reply_case,
    resolve_case,
    snooze_case,
)
from data.corrections import correct_label
from data.schema import case_events, cases, corrections
from sentiment.record import from_probs

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "test-model-1")
ANA, BO, LEAD = Actor("ana"), Actor("bo"), Actor("lee", "lead")
REPLY = "https://forum.example/t/1#reply-2"


@pytest.fixture
def engine(database_url):
    """A migrated database."""
    engine = connect(database_url)
    yield engine
    engine.dispose()


def open_cases_for(engine, texts: list[str]) -> list[int]:
    """Store one complaint per text and return their case ids in order."""
    source = sync_sources(engine, [SourceSpec("forum", "rss", "forum", {}, 900)])["forum"]
    items = [
        ScoredPost(Post(f"p{n}", text, published_at=NOW - timedelta(hours=1)), "en", ANGRY)
        for n, text in enumerate(texts)
    ]
    save_batch(engine, source.id, "forum", items, {}, now=NOW, threshold=0.5)
    with engine.connect() as connection:
        return list(connection.execute(select(cases.c.id).order_by(cases.c.post_id)).scalars())


def case(engine, case_id: int):
    """The case row."""
    with engine.connect() as connection:
        return connection.execute(select(cases).where(cases.c.id == case_id)).one()


def events(engine, case_id: int) -> list[tuple[str, str, str]]:
    """(actor, from, to) of a case's events, in order."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(case_events.c.actor, case_events.c.from_status, case_events.c.to_status)
            .where(case_events.c.case_id == case_id)
            .order_by(case_events.c.id)
        )
        return [tuple(row) for row in rows]


def test_case_goes_from_new_to_resolved_with_an_audit_trail(engine):
    [case_id] = open_cases_for(engine, ["refund never arrived"])
    claim_case(engine, case_id, ANA, NOW)
    reply_case(engine, case_id, ANA, NOW + timedelta(hours=1), REPLY, "Sorry, refunded today")
    resolve_case(engine, case_id, ANA, NOW + timedelta(hours=2))
    row = case(engine, case_id)
    assert (row.status, row.assignee, row.reply_url) == ("resolved", "ana", REPLY)
    assert row.first_reply_at == NOW + timedelta(hours=1)
    assert events(engine, case_id) == [
        ("ana", "new", "claimed"), ("ana", "claimed", "replied"), ("ana", "replied", "resolved"),
    ]  # fmt: skip


def test_second_claim_of_same_case_is_refused_and_names_the_holder(engine):
    [case_id] = open_cases_for(engine, ["late delivery"])
    claim_case(engine, case_id, ANA, NOW)
    with pytest.raises(TransitionRefused, match="already claimed by ana"):
        claim_case(engine, case_id, BO, NOW)
    claim_case(engine, case_id, ANA, NOW)  # claiming one's own case again is harmless
    assert events(engine, case_id) == [("ana", "new", "claimed")]


def test_only_the_claimer_may_reply_release_or_resolve(engine):
    [case_id] = open_cases_for(engine, ["broken kettle"])
    claim_case(engine, case_id, ANA, NOW)
    for action in (
        lambda: reply_case(engine, case_id, BO, NOW, REPLY),
        lambda: release_case(engine, case_id, BO, NOW),
    ):
        with pytest.raises(AccessRefused, match="claimed by ana"):
            action()
    reply_case(engine, case_id, ANA, NOW, REPLY)
    resolve_case(engine, case_id, LEAD, NOW)  # a lead may resolve any replied case
    assert case(engine, case_id).status == "resolved"


def test_refused_transitions_say_why(engine):
    [case_id] = open_cases_for(engine, ["payment failed"])
    with pytest.raises(TransitionRefused, match="is new: cannot record a reply"):
        reply_case(engine, case_id, ANA, NOW, REPLY)
    with pytest.raises(TransitionRefused, match="is new: cannot resolve"):
        resolve_case(engine, case_id, ANA, NOW)
    with pytest.raises(AccessRefused, match="ana is a manager; reopening.* needs a lead"):
        reopen_case(engine, case_id, ANA, NOW)
    claim_case(engine, case_id, ANA, NOW)
    with pytest.raises(TransitionRefused, match="must start with http"):
        reply_case(engine, case_id, ANA, NOW, "javascript:alert(1)")
    with pytest.raises(TransitionRefused, match="case 999999 does not exist"):
        claim_case(engine, 999999, ANA, NOW)


def test_not_a_complaint_is_stored_as_a_correction_and_a_lead_can_reopen(engine):
    [case_id] = open_cases_for(engine, ["is the X1 in stock?"])
    mark_not_a_complaint(engine, case_id, BO, NOW, "a pre-sale question")
    correct_label(engine, case(engine, case_id).post_id, BO, "positive", NOW)
    with engine.connect() as connection:
        labels = connection.execute(select(corrections.c.label, corrections.c.actor)).all()
    assert sorted(labels) == [("neutral", "bo"), ("positive", "bo")]
    reopen_case(engine, case_id, LEAD, NOW)
    assert case(engine, case_id).status == "new"
    with pytest.raises(TransitionRefused, match="label must be one of"):
        correct_label(engine, case(engine, case_id).post_id, BO, "angry", NOW)


def test_untouched_claims_and_ended_snoozes_return_to_the_pool(engine):
    claimed, snoozed, fresh = open_cases_for(engine, ["a", "b", "c"])
    claim_case(engine, claimed, ANA, NOW)
    snooze_case(engine, snoozed, BO, NOW, until=NOW + timedelta(hours=1))
    claim_case(engine, fresh, BO, NOW + timedelta(hours=2))
    moved = expire_holds(engine, NOW + timedelta(hours=2, minutes=30), timedelta(hours=2))
    assert moved == 2
    assert [case(engine, c).status for c in (claimed, snoozed, fresh)] == ["new", "new", "claimed"]
    assert events(engine, claimed)[-1] == ("system", "claimed", "new")


def test_one_reply_covers_open_duplicates_of_the_same_complaint(engine):
    first, twin, other = open_cases_for(
        engine, ["Refund never arrived!", "refund never   arrived!", "something else"]
    )
    claim_case(engine, first, ANA, NOW)
    replied = reply_case(engine, first, ANA, NOW, REPLY)
    assert sorted(replied) == sorted([first, twin])
    assert case(engine, twin).reply_url == REPLY
    assert case(engine, other).status == "new"


def test_cases_record_their_due_time_and_backfills(engine):
    source = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900)])["f"]
    items = [
        ScoredPost(Post("recent", "bad", published_at=NOW - timedelta(hours=1)), "en", ANGRY),
        ScoredPost(Post("old", "worse", published_at=NOW - timedelta(days=3)), "en", ANGRY),
    ]
    save_batch(engine, source.id, "forum", items, {}, now=NOW, threshold=0.5)
    with engine.connect() as connection:
        rows = connection.execute(select(cases.c.due_at, cases.c.backfill).order_by(cases.c.id))
        (recent_due, recent_backfill), (old_due, old_backfill) = rows.all()
    assert (recent_due, recent_backfill) == (NOW + timedelta(hours=5), False)
    assert old_backfill is True and old_due < NOW


CLAIMER = """
import random, sys
from datetime import UTC, datetime
from data import connect
from data.cases import Actor, TransitionRefused, claim_case
url, name, ids = sys.argv[1], sys.argv[2], [int(i) for i in sys.argv[3].split(",")]
engine = connect(url, migrate=False)
random.seed(name)
won = 0
for _ in range(25):
    try:
        won += claim_case(engine, random.choice(ids), Actor(name), datetime.now(UTC))
    except TransitionRefused:
        pass
print(won)
"""


def test_concurrent_claims_from_eight_processes_give_each_case_one_owner(engine, database_url):
    case_ids = open_cases_for(engine, [f"complaint number {n}" for n in range(20)])
    ids = ",".join(map(str, case_ids))
    workers = [
        subprocess.Popen([sys.executable, "-c", CLAIMER, database_url, f"manager-{n}", ids],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(8)
    ]  # fmt: skip
    outputs = [worker.communicate(timeout=240) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 8, [err for _, err in outputs]
    with engine.connect() as connection:
        claims = connection.execute(
            select(case_events.c.case_id, func.count())
            .where(case_events.c.to_status == "claimed")
            .group_by(case_events.c.case_id)
        ).all()
        owners = connection.execute(select(cases.c.id, cases.c.assignee)).all()
    assert all(count == 1 for _, count in claims)
    claimed = {case_id for case_id, _ in claims}
    assert all(assignee is not None for case_id, assignee in owners if case_id in claimed)
    assert sum(int(out) for out, _ in outputs) == len(claimed)
