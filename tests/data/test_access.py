"""Roles enforced where the action happens, on SQLite and PostgreSQL: every write in data/
reads the actor's role from the user store, refusals are recorded, and before the first user
exists everything works as it did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.access import AccessRefused, Actor, recent_refusals
from data.alerts import acknowledge_alert, snooze_alert
from data.cases import (
    TransitionRefused,
    assign_case,
    claim_case,
    reopen_case,
    reply_case,
    resolve_case,
)
from data.corrections import correct_label
from data.schema import alerts, case_events, cases
from data.users import UserRefused, add_user, list_users, set_active, set_role
from sentiment.record import from_probs

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "test-model-1")
PASSWORD = "correct horse battery"
REPLY = "https://forum.example/t/1#reply-2"


@pytest.fixture
def engine(database_url):
    """A migrated database with three complaints (three cases) and one open alert."""
    engine = connect(database_url)
    source = sync_sources(engine, [SourceSpec("forum", "rss", "forum", {}, 900)])["forum"]
    posts = [
        ScoredPost(Post(f"p{n}", f"refund never came {n}", published_at=NOW), "en", ANGRY)
        for n in range(3)
    ]
    save_batch(engine, source.id, "forum", posts, {}, now=NOW, threshold=0.5)
    with engine.begin() as connection:
        connection.execute(
            alerts.insert().values(
                kind="spike", dedupe_key="spike:refund", severity="warning", status="open",
                title="refund complaints x3", opened_at=NOW, last_seen_at=NOW, details={},
            )
        )  # fmt: skip
    yield engine
    engine.dispose()


def case_ids(engine) -> list[int]:
    """The cases, in id order."""
    with engine.connect() as connection:
        return list(connection.execute(select(cases.c.id).order_by(cases.c.id)).scalars())


def alert_id(engine) -> int:
    """The one alert."""
    with engine.connect() as connection:
        return connection.execute(select(alerts.c.id)).scalar_one()


def team(engine) -> None:
    """An executive, a manager, a lead and an admin."""
    for name, role in (("eve", "executive"), ("ana", "manager"), ("lee", "lead"),
                       ("root", "admin")):  # fmt: skip
        add_user(engine, None, name, role, PASSWORD)


def test_before_any_user_everything_works_as_before(engine):
    first, second, _ = case_ids(engine)
    assert claim_case(engine, first, Actor("anyone"), NOW)
    assert acknowledge_alert(engine, alert_id(engine), Actor("anyone"), NOW)
    reply_case(engine, first, Actor("anyone"), NOW, REPLY)
    resolve_case(engine, first, Actor("anyone"), NOW)
    reopen_case(engine, first, Actor("lee", "lead"), NOW)  # `leads` in the config said so
    with pytest.raises(AccessRefused, match="bo is a manager; reopening"):
        reopen_case(engine, second, Actor("bo"), NOW)
    assert [r["actor"] for r in recent_refusals(engine)] == ["bo"]


def test_a_manager_cannot_reopen_or_acknowledge_and_each_refusal_is_recorded(engine):
    team(engine)
    first = case_ids(engine)[0]
    claim_case(engine, first, Actor("ana"), NOW)
    reply_case(engine, first, Actor("ana"), NOW, REPLY)
    resolve_case(engine, first, Actor("ana"), NOW)
    # The caller may claim to be a lead: the store says otherwise.
    for attempt in (
        lambda: reopen_case(engine, first, Actor("ana", "admin"), NOW),
        lambda: acknowledge_alert(engine, alert_id(engine), Actor("ana", "lead"), NOW),
        lambda: snooze_alert(
            engine, alert_id(engine), Actor("ana"), NOW + timedelta(hours=1), NOW
        ),  # fmt: skip
    ):
        with pytest.raises(AccessRefused, match="ana is a manager; .* needs a lead or above"):
            attempt()
    refusals = recent_refusals(engine)
    assert [(r["actor"], r["action"]) for r in refusals] == [
        ("ana", "act_on_alerts"), ("ana", "act_on_alerts"), ("ana", "lead_cases"),
    ]  # fmt: skip
    assert refusals[-1]["target"] == f"reopen {first}"
    with engine.connect() as connection:
        status = connection.execute(select(cases.c.status).where(cases.c.id == first)).scalar()
        acked = connection.execute(select(alerts.c.acknowledged_by)).scalar()
    assert (status, acked) == ("resolved", None)
    reopen_case(engine, first, Actor("lee"), NOW)  # the lead's role comes from the store too
    assert acknowledge_alert(engine, alert_id(engine), Actor("lee"), NOW)


def test_executives_strangers_and_disabled_users_cannot_act(engine):
    team(engine)
    first, second, _ = case_ids(engine)
    with pytest.raises(AccessRefused, match="eve is an executive; working cases needs"):
        claim_case(engine, first, Actor("eve"), NOW)
    with pytest.raises(AccessRefused, match="'mallory' is not a user"):
        claim_case(engine, first, Actor("mallory", "admin"), NOW)
    with pytest.raises(AccessRefused, match="eve is an executive"):
        correct_label(engine, 1, Actor("eve"), "positive", NOW)
    claim_case(engine, first, Actor("ana"), NOW)
    set_active(engine, None, "ana", False)
    with pytest.raises(AccessRefused, match="'ana' is disabled"):
        reply_case(engine, first, Actor("ana"), NOW, REPLY)
    with pytest.raises(TransitionRefused, match="eve is an executive and cannot work cases"):
        assign_case(engine, second, Actor("lee"), "eve", NOW)
    assert len(recent_refusals(engine)) == 4
    with engine.connect() as connection:
        events = connection.execute(select(case_events.c.actor)).scalars().all()
    assert set(events) == {"ana"}  # only the one claim went through


def test_a_new_role_counts_from_the_next_action(engine):
    team(engine)
    first = case_ids(engine)[0]
    with pytest.raises(AccessRefused):
        claim_case(engine, first, Actor("eve"), NOW)
    set_role(engine, None, "eve", "manager")
    assert claim_case(engine, first, Actor("eve"), NOW)


def test_users_changed_from_the_dashboard_need_an_admin_and_the_last_admin_stays(engine):
    team(engine)
    with pytest.raises(AccessRefused, match="lee is a lead; managing users needs an admin"):
        add_user(engine, Actor("lee"), "zed", "admin", PASSWORD)
    add_user(engine, Actor("root"), "zed", "manager", PASSWORD)
    with pytest.raises(UserRefused, match="root is the last active admin"):
        set_role(engine, Actor("root"), "root", "lead")
    with pytest.raises(UserRefused, match="at least 10 characters"):
        add_user(engine, None, "short", "manager", "123")
    people = {person["name"]: person for person in list_users(engine)}
    assert people["zed"]["role"] == "manager" and "password_hash" not in people["zed"]
    assert all(PASSWORD not in str(person) for person in people.values())
