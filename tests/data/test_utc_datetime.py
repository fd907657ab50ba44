"""UtcDateTime: aware UTC in and out on both databases; on SQLite the text it stores is the
text SQLAlchemy's own DATETIME stores, so rows written before read and compare the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, create_engine, select, text

from data.types import UtcDateTime

SHANGHAI = timezone(timedelta(hours=8))
MOMENTS = [
    datetime(2026, 12, 4, 14, 19, tzinfo=UTC),
    datetime(2026, 12, 4, 22, 19, 0, 5, tzinfo=SHANGHAI),  # 14:19:00.000005 UTC
    datetime(2026, 12, 4, 14, 20, 30),  # naive: taken as UTC
    None,
]


def moments_table() -> Table:
    """A table of one UtcDateTime column beside a plain DateTime one."""
    return Table("moments", MetaData(), Column("id", Integer, primary_key=True),
                 Column("at", UtcDateTime), Column("plain", DateTime))  # fmt: skip


def test_moments_come_back_as_aware_utc_and_compare_as_instants(database_url):
    table = moments_table()
    engine = create_engine(database_url)
    table.metadata.create_all(engine)
    try:
        with engine.begin() as connection:
            connection.execute(
                table.insert(), [{"id": i, "at": at} for i, at in enumerate(MOMENTS)]
            )
            read = connection.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
            cut = datetime(2026, 12, 4, 22, 19, tzinfo=SHANGHAI)
            later = connection.execute(select(table.c.id).where(table.c.at > cut)).scalars().all()
    finally:
        table.metadata.drop_all(engine)
        engine.dispose()
    expected = [at if at is None or at.tzinfo else at.replace(tzinfo=UTC) for at in MOMENTS]
    assert read == expected
    assert all(at is None or at.utcoffset() == timedelta(0) for at in read)
    assert sorted(later) == [1, 2]  # 5 µs past 14:19 UTC counts, as does 14:20:30


def test_on_sqlite_the_stored_text_is_sqlalchemy_s_datetime_text(tmp_path):
    table = moments_table()
    engine = create_engine(f"sqlite:///{tmp_path / 'moments.db'}")
    table.metadata.create_all(engine)
    plain = [at.astimezone(UTC).replace(tzinfo=None) if at and at.tzinfo else at for at in MOMENTS]
    with engine.begin() as connection:
        written = [
            {"id": i, "at": at, "plain": p}
            for i, (at, p) in enumerate(zip(MOMENTS, plain, strict=True))
        ]
        connection.execute(table.insert(), written)
        rows = connection.execute(text("SELECT at, plain FROM moments ORDER BY id")).all()
        # A value SQLAlchemy's DATETIME wrote reads back through UtcDateTime as the same instant.
        connection.execute(text("UPDATE moments SET at = plain"))
        reread = connection.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
    engine.dispose()
    assert [at for at, _ in rows] == [p for _, p in rows]
    assert rows[1][0] == "2026-12-04 14:19:00.000005"
    assert reread == [p.replace(tzinfo=UTC) if p else None for p in plain]
