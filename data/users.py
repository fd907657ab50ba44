"""The built-in user store: names, roles, argon2id password hashes, e-mail addresses for the
identity provider, and who changed what (in the access log).

`by=None` is the operator at the command line (`hundredfold users ...`): whoever holds the
database's credentials may manage its users anyway. From the dashboard, `by` is the signed-in
user, and only an admin may change users.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from data.access import ROLES, Actor, Refused, authorize, record
from data.schema_users import user_sessions, users

COMMAND_LINE = "command line"
MIN_PASSWORD_CHARS = 10
# argon2id with the library's defaults (64 MiB, 3 passes): memory-hard, ~50 ms to check.
HASHER = PasswordHasher()


class UserRefused(Refused):
    """A change to users that is not allowed; the message says why."""


def _now() -> datetime:
    return datetime.now(UTC)


def _checked_name(name: str) -> str:
    """A user name: trimmed, 1-200 printable characters."""
    name = unicodedata.normalize("NFC", name).strip()
    if not name or len(name) > 200 or any(unicodedata.category(c)[0] == "C" for c in name):
        raise UserRefused("a user name is 1 to 200 printable characters")
    return name


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise UserRefused(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    return role


def hash_password(password: str) -> str:
    """The argon2id hash of a password long enough to keep."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserRefused(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    return HASHER.hash(password)


def _permit(engine: Engine, by: Actor | None, action: str, target: str) -> str:
    """Who is changing users: an admin from the dashboard, or the command line."""
    if by is None:
        return COMMAND_LINE
    return authorize(engine, by, "manage_users", f"{action} {target}").name


def add_user(
    engine: Engine,
    by: Actor | None,
    name: str,
    role: str,
    password: str | None = None,
    email: str | None = None,
) -> None:
    """A new active user; `password` None for one who signs in through the identity provider."""
    name, role = _checked_name(name), _checked_role(role)
    actor = _permit(engine, by, "add_user", name)
    address = _checked_email(email)
    if password is None and address is None:
        raise UserRefused("give a password, or an e-mail address for the identity provider")
    hashed = None if password is None else hash_password(password)
    now = _now()
    try:
        with engine.begin() as connection:
            connection.execute(
                users.insert().values(
                    name=name, role=role, password_hash=hashed, email=address, active=True,
                    created_at=now, updated_at=now,
                )
            )  # fmt: skip
    except IntegrityError as error:
        raise UserRefused(f"a user named {name!r} (or with that e-mail) exists already") from error
    record(engine, actor, "add_user", name, "done", f"role {role}")


def _checked_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise UserRefused(f"not an e-mail address: {email!r}")
    return email


def _user(connection: Connection, name: str) -> Any:
    row = connection.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        raise UserRefused(f"no user named {name!r}")
    return row


def _change(engine: Engine, by: Actor | None, name: str, action: str, detail: str, **values):
    """Update one user (ending their sessions when asked) and log who did it."""
    actor = _permit(engine, by, action, name)
    end_sessions = values.pop("end_sessions", False)
    with engine.begin() as connection:
        row = _user(connection, name)
        demoted = values.get("role", row.role) != "admin" or values.get("active") is False
        if row.role == "admin" and row.active and demoted and _active_admins(connection) == 1:
            raise UserRefused(f"{name} is the last active admin: make another admin first")
        connection.execute(
            update(users).where(users.c.id == row.id).values(updated_at=_now(), **values)
        )
        if end_sessions:
            connection.execute(
                update(user_sessions)
                .where(user_sessions.c.user_id == row.id, user_sessions.c.ended_at.is_(None))
                .values(ended_at=_now())
            )
    record(engine, actor, action, name, "done", detail)


def _active_admins(connection: Connection) -> int:
    query = select(func.count()).where(users.c.role == "admin", users.c.active.is_(True))
    return int(connection.execute(query).scalar_one())


def set_role(engine: Engine, by: Actor | None, name: str, role: str) -> None:
    """Give a user another role (it counts from their next action)."""
    _change(engine, by, name, "set_role", f"role {_checked_role(role)}", role=role)


def set_password(engine: Engine, by: Actor | None, name: str, password: str) -> None:
    """Replace a user's password; their open sessions end."""
    hashed = hash_password(password)
    _change(engine, by, name, "set_password", "", password_hash=hashed, end_sessions=True)


def set_active(engine: Engine, by: Actor | None, name: str, active: bool) -> None:
    """Disable (sessions end, no action allowed) or enable a user; their history stays."""
    action = "enable_user" if active else "disable_user"
    _change(engine, by, name, action, "", active=active, end_sessions=not active)


def list_users(engine: Engine) -> list[dict[str, Any]]:
    """Every user, by name: role, e-mail, active, created and last sign-in (never the hash)."""
    columns = (
        users.c.name, users.c.role, users.c.email, users.c.active, users.c.created_at,
        users.c.last_sign_in_at, users.c.password_hash.is_not(None).label("password"),
    )  # fmt: skip
    with engine.connect() as connection:
        rows = connection.execute(select(*columns).order_by(users.c.name)).all()
    return [dict(row._mapping) for row in rows]
