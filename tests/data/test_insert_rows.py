"""`insert_rows`: the driver's executemany stores what SQLAlchemy's own insert stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import JSON, Boolean, Column, Float, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from data.inserts import insert_ignoring_duplicates, insert_new, insert_rows
from data.types import UtcDateTime

metadata = MetaData()
samples = Table(
    "insert_rows_samples",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False),
    Column("at", UtcDateTime, nullable=True),
    Column("state", JSON, nullable=False),
    Column("flag", Boolean, nullable=False, default=False),
    Column("share", Float, nullable=True),
)
SHANGHAI = timezone(timedelta(hours=8))


@pytest.fixture
def table(engine):
    metadata.create_all(engine)
    yield samples
    metadata.drop_all(engine)


def sample_rows(first_id: int) -> list[dict]:
    """Rows with every kind of value: aware and naive times, nested JSON, text, None."""
    at = datetime(2026, 12, 4, 18, 30, 15, 120, tzinfo=SHANGHAI)
    return [
        {"id": first_id + n, "name": f"行 {n} <b>'\"%s",
         "at": None if n == 2 else at + timedelta(minutes=n),
         "state": {"rows_done": n, "tags": ["退款", None]}, "flag": n % 2 == 0,
         "share": None if n == 1 else n / 3}
        for n in range(1200)  # more than one slice
    ]  # fmt: skip


def stored(engine, first_id: int) -> list[tuple]:
    """The rows from first_id on, with their ids made relative."""
    with engine.connect() as connection:
        query = select(samples).where(samples.c.id >= first_id, samples.c.id < first_id + 10_000)
        return [(row.id - first_id, *row[1:]) for row in connection.execute(query.order_by("id"))]


def test_rows_read_back_as_sqlalchemys_own_insert_stores_them(engine, table):
    with engine.begin() as connection:
        connection.execute(table.insert(), sample_rows(0))
        insert_rows(connection, table.insert(), sample_rows(10_000))
    assert stored(engine, 10_000) == stored(engine, 0)
    [*_, last] = stored(engine, 10_000)
    assert last[2] == datetime(2026, 12, 4, 10, 30, 15, 120, tzinfo=UTC) + timedelta(minutes=1199)


def test_a_column_left_to_its_default_is_filled_in(engine, table):
    with engine.begin() as connection:
        insert_rows(connection, table.insert(), [{"id": 1, "name": "a", "state": {}}])
    assert stored(engine, 0) == [(1, "a", None, {}, False, None)]


def test_duplicates_are_skipped_and_the_first_row_kept(engine, table):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    rows = sample_rows(0)[:3]
    with engine.begin() as connection:
        insert_rows(connection, dialect.insert(table), rows[:2])
        insert_ignoring_duplicates(connection, table, [{**rows[0], "name": "again"}, rows[2]])
    assert [row[1] for row in stored(engine, 0)] == [row["name"] for row in rows]


def test_insert_new_returns_only_the_rows_it_inserted(engine, table):
    rows = sample_rows(0)
    with engine.begin() as connection:
        first = insert_new(connection, table, rows[:700:2], table.c.id, table.c.name)
        again = insert_new(connection, table, rows[:700], table.c.id, table.c.name)
    assert sorted((row.id, row.name) for row in first) == [
        (row["id"], row["name"]) for row in rows[:700:2]
    ]
    assert sorted(row.id for row in again) == [row["id"] for row in rows[1:700:2]]
    assert stored(engine, 0) == stored_as_given(engine, rows[:700])


def stored_as_given(engine, rows: list[dict]) -> list[tuple]:
    """What SQLAlchemy's own insert stores for the rows (in a scratch range of ids)."""
    with engine.begin() as connection:
        connection.execute(samples.insert(), [{**row, "id": row["id"] + 50_000} for row in rows])
    return stored(engine, 50_000)
