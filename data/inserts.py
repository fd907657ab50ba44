"""Bulk inserts that skip rows colliding with a unique key, in slices every driver accepts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Table, any_, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.dml import Insert

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
    insert_rows(connection, _ignoring_duplicates(table, connection.dialect.name), rows)


def conflict_insert(table: Table, dialect_name: str) -> Any:
    """The dialect's INSERT into the table, the one that can say ON CONFLICT."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(table)


@cache
def _ignoring_duplicates(table: Table, dialect_name: str) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING into the table, built once per dialect."""
    return conflict_insert(table, dialect_name).on_conflict_do_nothing()


def insert_rows(connection: Connection, statement: Insert, rows: list[dict]) -> None:
    """Run an INSERT (or upsert) without RETURNING for many rows, all with the same keys, as
    the driver's executemany: compiled once, each value converted by its column type's bind
    processor, rather than through SQLAlchemy's parameter handling for every row (a third of
    storing a batch's CPU went there). Build `statement` once: its compilation is cached.
    On PostgreSQL a slice is one statement, so an upsert's rows must have distinct keys."""
    if not rows:
        return
    dialect = connection.dialect
    prepared = _prepared(statement, dialect, tuple(rows[0]))
    if prepared is None:  # a column default SQLAlchemy computes per row
        for part in chunks(rows):
            connection.execute(statement, list(part))
        return
    if dialect.driver == "psycopg":
        # One statement a slice, each column one array: psycopg's executemany sends a
        # statement per row, and the server runs each on its own.
        unnested = _unnested(statement, tuple(rows[0]))
        for part in chunks(rows):
            connection.execute(unnested, {key: [row[key] for row in part] for key in rows[0]})
        return
    sql, names, convert = prepared
    for part in chunks(_parameters(dialect, names, convert, rows)):
        connection.exec_driver_sql(sql, part)


def _parameters(dialect: Dialect, names: list[str], convert: list, rows: list[dict]) -> list:
    """The rows as the driver takes them: each value through its converter, in `names` order
    (tuples for a positional paramstyle, dicts for a named one)."""
    values = [[row[name] for name in names] for row in rows]
    for at, to in enumerate(convert):
        if to is not None:
            for row_values in values:
                row_values[at] = to(row_values[at])
    if dialect.positional:
        return [tuple(row_values) for row_values in values]
    return [dict(zip(names, row_values, strict=True)) for row_values in values]


@lru_cache(maxsize=128)
def _unnested(statement: Insert, keys: tuple[str, ...]) -> Insert:
    """The INSERT as `INSERT … SELECT … FROM unnest(:a, :b, …)`: one array parameter per
    column (PostgreSQL), the statement's ON CONFLICT clause kept."""
    columns = statement.table.columns  # type: ignore[attr-defined]
    arrays = [bindparam(key, type_=postgresql.ARRAY(columns[key].type)) for key in keys]
    rows = func.unnest(*arrays).table_valued(*keys).render_derived()
    return statement.from_select(list(keys), select(*(rows.c[key] for key in keys)))


@lru_cache(maxsize=128)
def _prepared(statement: Insert, dialect: Dialect, keys: tuple[str, ...]) -> tuple | None:
    """The statement's SQL, its parameters' names in order and their converters; None when
    SQLAlchemy would fill in a column default for each row."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    if set(compiled.binds) != set(keys):
        return None
    names = list(compiled.positiontup or ()) if dialect.positional else list(keys)
    columns = statement.table.columns  # type: ignore[attr-defined]
    convert = [columns[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    return compiled.string, names, convert


def insert_new(connection: Connection, table: Table, rows: list[dict], *returned: Column) -> list:
    """INSERT rows, skipping duplicates; returns `returned` of the rows this statement inserted
    (attributes named as the columns; values as the driver reads them).

    A row a concurrent writer inserted first is not among them (ON CONFLICT DO NOTHING
    RETURNING reports only the rows written here), so two workers storing the same posts
    count each post once between them.
    """
    names = tuple(column.key for column in returned)
    statement = _returning_new(table, connection.dialect.name, names)
    if connection.dialect.driver == "psycopg" and rows:
        prepared = _prepared(statement, connection.dialect, tuple(rows[0]))
        if prepared is not None:
            return _returned_by_executemany(connection, prepared, rows)
    inserted: list = []
    for part in chunks(rows):
        inserted.extend(connection.execute(statement, list(part)).all())
    return inserted


def _returned_by_executemany(connection: Connection, prepared: tuple, rows: list[dict]) -> list:
    """psycopg's executemany with RETURNING: one short statement, pipelined. SQLAlchemy's
    multi-row VALUES of 500 posts is a statement of 10,000 placeholders that psycopg parses
    anew in Python every time (over half of storing a batch on PostgreSQL went there)."""
    from psycopg.rows import namedtuple_row

    sql, names, convert = prepared
    # The driver's own connection (psycopg's), in the transaction SQLAlchemy began.
    driver = connection.connection.driver_connection
    assert driver is not None, "an open connection has its driver's"
    cursor = driver.cursor(row_factory=namedtuple_row)
    found: list = []
    try:
        for part in chunks(_parameters(connection.dialect, names, convert, rows)):
            cursor.executemany(sql, part, returning=True)
            while True:
                found.extend(cursor.fetchall())
                if not cursor.nextset():
                    break
    finally:
        cursor.close()
    return found


@cache
def _returning_new(table: Table, dialect_name: str, names: tuple[str, ...]) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the named columns, built once per dialect."""
    return _ignoring_duplicates(table, dialect_name).returning(*(table.c[n] for n in names))
