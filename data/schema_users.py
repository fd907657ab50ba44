"""Who may use the dashboard: users and their roles, sign-in sessions and attempts, and the
access log (refused actions and changes to users)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from data.schema import _when, metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    # argon2id hash; none for a user who signs in through the identity provider only
    Column("password_hash", Text),
    # lower-cased; how the identity provider's account is matched to the user
    Column("email", String(320), unique=True),
    Column("active", Boolean, nullable=False, default=True),
    _when("created_at", nullable=False),
    _when("updated_at", nullable=False),
    _when("last_sign_in_at"),
)

# One row per dashboard sign-in; the browser session holds the token, the table its hash.
user_sessions = Table(
    "user_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("address", String(100), nullable=False, default=""),
    _when("created_at", nullable=False),
    _when("last_seen_at", nullable=False),
    _when("ended_at"),
)

# Failed sign-ins, counted per name and per address to slow guessing down.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("address", String(100), nullable=False, default=""),
    _when("at", nullable=False),
    Index("ix_sign_in_failures_name_at", "name", "at"),
    Index("ix_sign_in_failures_address_at", "address", "at"),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True),
    _when("at", nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", String(300), nullable=False, default=""),
    # refused (a role lacked the action), or done (a change to users, a sign-in or sign-out)
    Column("outcome", String(20), nullable=False),
    Column("detail", Text),
    Index("ix_access_log_at", "at"),
)

# Secrets the install keeps for itself (the key behind authors' pseudonyms for executives).
install_secrets = Table(
    "install_secrets",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("value", String(200), nullable=False),
)
