"""Signing in, on SQLite and PostgreSQL: one message for every failure, attempts limited per
name and per address, and sessions that end when idle, on sign-out or when the user changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from data import connect
from data.access import Actor
from data.schema_users import access_log, user_sessions, users
from data.sign_in import WRONG, SignInRefused, session_actor, sign_in, sign_out
from data.users import add_user, set_active, set_password, set_role

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
HOUR = timedelta(hours=1)


@pytest.fixture
def engine(database_url):
    """A migrated database with one manager, ana."""
    engine = connect(database_url)
    add_user(engine, None, "ana", "manager", PASSWORD)
    yield engine
    engine.dispose()


def refusal(engine, name: str, password: str, address: str = "10.0.0.1") -> SignInRefused:
    """The refusal a sign-in meets (failing the test when it succeeds)."""
    with pytest.raises(SignInRefused) as caught:
        sign_in(engine, name, password, address, NOW, max_failures=5)
    return caught.value


def test_a_wrong_password_and_an_unknown_name_read_the_same(engine):
    wrong_password, unknown_name = (
        refusal(engine, "ana", "not it at all"),
        refusal(engine, "zoe", "x"),
    )
    assert str(wrong_password) == str(unknown_name) == WRONG
    assert not wrong_password.locked and not unknown_name.locked
    token = sign_in(engine, "ana", PASSWORD, "10.0.0.1", NOW, max_failures=5)
    assert session_actor(engine, token, NOW, HOUR) == Actor("ana", "manager")
    with engine.connect() as connection:
        stored = connection.execute(select(user_sessions.c.token_hash)).scalar_one()
        hashed = connection.execute(select(users.c.password_hash)).scalar_one()
    assert token not in stored and hashed.startswith("$argon2id$")  # neither kept in clear


def test_failures_lock_a_name_then_an_address(engine):
    for _ in range(5):
        assert not refusal(engine, "ana", "guess guess guess").locked
    # Locked: even the right password is refused, and says why.
    locked = refusal(engine, "ana", PASSWORD)
    assert locked.locked and "try again in 15 minutes" in str(locked)
    # From another address the name is still locked; other names from it are not.
    assert refusal(engine, "ana", PASSWORD, "10.0.0.2").locked
    add_user(engine, None, "bo", "manager", PASSWORD)
    assert sign_in(engine, "bo", PASSWORD, "10.0.0.1", NOW, max_failures=5)
    # Guessing many names from one address locks the address (four times the name limit).
    for n in range(20):
        refusal(engine, f"name{n}", "guess", "10.0.0.9")
    assert refusal(engine, "bo", PASSWORD, "10.0.0.9").locked
    later = NOW + timedelta(minutes=16)
    assert sign_in(engine, "ana", PASSWORD, "10.0.0.1", later, max_failures=5)


def test_a_session_ends_when_idle_signed_out_disabled_or_given_a_new_password(engine):
    def fresh() -> str:
        return sign_in(engine, "ana", PASSWORD, "10.0.0.1", NOW, max_failures=5)

    idle = fresh()
    seen = NOW + timedelta(minutes=59)
    assert session_actor(engine, idle, seen, HOUR) is not None  # in use: it lasts
    assert session_actor(engine, idle, seen + timedelta(minutes=59), HOUR) is not None
    gone = seen + timedelta(minutes=59) + timedelta(minutes=61)
    assert session_actor(engine, idle, gone, HOUR) is None
    assert session_actor(engine, idle, seen + timedelta(minutes=60), HOUR) is None  # for good
    signed_out = fresh()
    sign_out(engine, signed_out, NOW)
    assert session_actor(engine, signed_out, NOW, HOUR) is None
    changed = fresh()
    set_role(engine, None, "ana", "lead")
    assert session_actor(engine, changed, NOW, HOUR) == Actor("ana", "lead")  # role read anew
    set_password(engine, None, "ana", "another long password")
    assert session_actor(engine, changed, NOW, HOUR) is None
    disabled = sign_in(engine, "ana", "another long password", "10.0.0.1", NOW, max_failures=5)
    set_active(engine, None, "ana", False)
    assert session_actor(engine, disabled, NOW, HOUR) is None
    assert str(refusal(engine, "ana", "another long password")) == WRONG
    with engine.connect() as connection:
        logged = connection.execute(select(access_log.c.action, access_log.c.detail)).all()
    assert {"sign_in", "sign_out", "set_role", "set_password", "disable_user"} <= {
        action for action, _ in logged
    }
    assert all(PASSWORD not in str(detail) for _, detail in logged)
