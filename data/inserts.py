"""Bulk inserts that skip rows colliding with a unique key, in slices every driver accepts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Table, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite

CHUNK = 500  # keeps IN lists and multi-row inserts well under every driver's limits


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def among(connection: Connection, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(array)`, one parameter however many
    values, so the driver does not parse a new statement text for every list length."""
    if connection.dialect.name != "postgresql":
        return column.in_(values)
    array = bindparam(None, list(values), type_=postgresql.ARRAY(column.type), unique=True)
    return column == any_(array)


def insert_ignoring_duplicates(connection: Connection, table: Table, rows: list[dict]) -> None:
    """INSERT rows, skipping any that collide with a unique key (both dialects)."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for part in chunks(rows):
        connection.execute(dialect.insert(table).on_conflict_do_nothing(), list(part))


def insert_new(connection: Connection, table: Table, rows: list[dict], *returned: Column) -> list:
    """INSERT rows, skipping duplicates; returns `returned` of the rows this statement inserted.

    A row a concurrent writer inserted first is not among them (ON CONFLICT DO NOTHING
    RETURNING reports only the rows written here), so two workers storing the same posts
    count each post once between them.
    """
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted: list = []
    for part in chunks(rows):
        statement = dialect.insert(table).on_conflict_do_nothing().returning(*returned)
        inserted.extend(connection.execute(statement, list(part)).all())
    return inserted
