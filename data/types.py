"""Column types shared by the schema and its migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on SQLite (which stores no offset) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """Store UTC; a naive value is taken as UTC already."""
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """Read back as aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    # On SQLite the two steps above each wrap SQLAlchemy's own text conversion, which formats
    # and parses in Python: a sixth of storing a batch went there. One C-level step each way
    # writes and reads exactly the text SQLite's DATETIME stores ("2026-12-04 14:19:00.000000").
    def bind_processor(self, dialect):  # type: ignore[no-untyped-def]
        """The bound value's conversion; on SQLite one step to the stored text."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _sqlite_text

    def result_processor(self, dialect, coltype):  # type: ignore[no-untyped-def]
        """The stored value's conversion; on SQLite one step from the stored text."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        return _sqlite_datetime


@lru_cache(maxsize=4096)  # a batch's rows share their times: `now`, a post's hour
def _sqlite_text(value: datetime | None) -> str | None:
    """A datetime as SQLite's DATETIME text of its UTC time (naive: taken as UTC already)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _sqlite_datetime(value: str | None) -> datetime | None:
    """SQLite's DATETIME text read back as an aware UTC datetime."""
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
