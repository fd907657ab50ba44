"""Signing a dashboard test in as a real user of the store, the way the sign-in form does."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from data import connect
from data.sign_in import sign_in
from data.users import add_user, list_users

PASSWORD = "correct horse battery"


def add_person(url: str, name: str, role: str) -> None:
    """Make `name` a user with `role` (and the shared test password) unless they are one."""
    engine = connect(url)
    if name not in {person["name"] for person in list_users(engine)}:
        add_user(engine, None, name, role, PASSWORD)
    engine.dispose()


def sign_in_as(app, name: str, role: str = "manager", url: str | None = None):
    """An AppTest session signed in as `name` (a user with `role`, added if need be)."""
    from dashboard.sign_in import TOKEN_KEY

    url = url or os.environ["HUNDREDFOLD_DATABASE_URL"]
    add_person(url, name, role)
    engine = connect(url)
    app.session_state[TOKEN_KEY] = sign_in(
        engine, name, PASSWORD, "127.0.0.1", datetime.now(UTC), max_failures=5
    )
    engine.dispose()
    return app
