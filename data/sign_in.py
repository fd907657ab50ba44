"""Signing in to the dashboard: passwords checked against the user store, failed attempts
limited per name and per address, and sessions that end when idle, on sign-out, or when the
user is disabled or given a new password.

A failed sign-in says the same thing whether the name exists or not, and an unknown name costs
as long to refuse as a wrong password (a dummy hash is checked).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select, update

from data.access import Actor, Refused, record
from data.schema_users import sign_in_failures, user_sessions, users
from data.users import HASHER

WRONG = "Wrong name or password."
FAILURE_WINDOW = timedelta(minutes=15)
# A shared office address gets more tries than one name before it is slowed down.
ADDRESS_FACTOR = 4
# A session's last-seen time is written at most this often (not on every page rerun).
TOUCH_EVERY = timedelta(seconds=60)


@cache
def _dummy_hash() -> str:
    """A hash no password matches, checked for unknown names so they take as long as known
    ones; made on the first sign-in, not at import (it costs a third of a second)."""
    return HASHER.hash("a password nobody has")


class SignInRefused(Refused):
    """A sign-in that failed; `locked` when too many attempts failed recently."""

    def __init__(self, message: str, locked: bool = False) -> None:
        super().__init__(message)
        self.locked = locked


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _recent_failures(engine: Engine, name: str, address: str, now: datetime) -> tuple[int, int]:
    since = now - FAILURE_WINDOW
    count = select(func.count()).select_from(sign_in_failures).where(sign_in_failures.c.at > since)
    with engine.connect() as connection:
        by_name = connection.execute(count.where(sign_in_failures.c.name == name)).scalar_one()
        by_address = connection.execute(
            count.where(sign_in_failures.c.address == address)
        ).scalar_one()
    return int(by_name), int(by_address)


def sign_in(
    engine: Engine, name: str, password: str, address: str, now: datetime, max_failures: int
) -> str:
    """A new session's token for a right name and password; SignInRefused otherwise."""
    name, address = name.strip()[:200], (address or "unknown")[:100]
    by_name, by_address = _recent_failures(engine, name.lower(), address, now)
    if by_name >= max_failures or by_address >= max_failures * ADDRESS_FACTOR:
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise SignInRefused(f"Too many failed sign-ins: try again in {minutes} minutes.", True)
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.name == name)).first()
    stored = row.password_hash if row is not None and row.password_hash else _dummy_hash()
    try:
        HASHER.verify(stored, password)
        matched = row is not None and row.active and stored is not _dummy_hash()
    except (VerificationError, InvalidHashError):
        matched = False
    if not matched or row is None:
        with engine.begin() as connection:
            connection.execute(
                sign_in_failures.insert().values(name=name.lower(), address=address, at=now)
            )
        raise SignInRefused(WRONG)
    return _open_session(engine, row.id, row.name, address, now)


def _open_session(engine: Engine, user_id: int, name: str, address: str, now: datetime) -> str:
    """Store a new session (its token's hash only) and note the sign-in."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(
            user_sessions.insert().values(
                token_hash=_token_hash(token), user_id=user_id, address=address, created_at=now,
                last_seen_at=now,
            )
        )  # fmt: skip
        connection.execute(update(users).where(users.c.id == user_id).values(last_sign_in_at=now))
    record(engine, name, "sign_in", address, "done")
    return token


def sign_in_by_email(engine: Engine, email: str, address: str, now: datetime) -> str:
    """A session for the active user the identity provider's e-mail belongs to."""
    with engine.connect() as connection:
        row = connection.execute(
            select(users).where(users.c.email == email.strip().lower())
        ).first()
    if row is None or not row.active:
        record(engine, email, "sign_in", address, "refused", "no active user has this e-mail")
        raise SignInRefused(f"{email} has no access to this dashboard: ask an administrator.")
    return _open_session(engine, row.id, row.name, address, now)


def session_actor(engine: Engine, token: str, now: datetime, idle: timedelta) -> Actor | None:
    """The signed-in user of a live session (their current role), or None: unknown, ended,
    idle longer than `idle` (it ends now), or the user disabled."""
    with engine.connect() as connection:
        row = connection.execute(
            select(
                user_sessions.c.id,
                user_sessions.c.last_seen_at,
                users.c.name,
                users.c.role,
                users.c.active,
            )  # fmt: skip
            .join(users, users.c.id == user_sessions.c.user_id)
            .where(user_sessions.c.token_hash == _token_hash(token))
            .where(user_sessions.c.ended_at.is_(None))
        ).first()
    if row is None:
        return None
    if not row.active or now - row.last_seen_at > idle:
        _end(engine, row.id, now)
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        with engine.begin() as connection:
            connection.execute(
                update(user_sessions).where(user_sessions.c.id == row.id).values(last_seen_at=now)
            )
    return Actor(row.name, row.role)


def sign_out(engine: Engine, token: str, now: datetime) -> None:
    """End the session whose token this is."""
    with engine.connect() as connection:
        found = connection.execute(
            select(user_sessions.c.id, users.c.name)
            .join(users, users.c.id == user_sessions.c.user_id)
            .where(user_sessions.c.token_hash == _token_hash(token))
        ).first()
    if found is not None:
        _end(engine, found.id, now)
        record(engine, found.name, "sign_out", "", "done")


def _end(engine: Engine, session_id: int, now: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(user_sessions)
            .where(user_sessions.c.id == session_id, user_sessions.c.ended_at.is_(None))
            .values(ended_at=now)
        )
