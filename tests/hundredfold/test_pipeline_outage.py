"""The database failing mid-run for a reason no row causes (here PostgreSQL refusing with an
operator-intervention error, 57P01, as a server shutting down does) fails the source's run:
the batches stored before it stay, the batches after it are not stored (one of them already
scored while the failing one was stored), the checkpoint stays with the last stored batch,
and the next run stores the rest, each post once."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from collectors.files import BATCH_ROWS
from data import connect
from data.schema import posts, sources
from data.schema_quarantine import quarantined_posts
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect
from tests.conftest import _postgres_database

ROWS = 4 * BATCH_ROWS  # four batches
MARKED = BATCH_ROWS + 10  # a row of the second batch
MARKER = "server-going-away"
COLUMNS = {"id": "id", "text": "text", "published_at": "published_at"}


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database."""
    yield from _postgres_database()


def write_export(path: Path) -> None:
    """ROWS distinct posts over the last day, the marker in row MARKED."""
    now = datetime.now(UTC)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(ROWS):
            said = f"订单{number}的退款一直没到账" if number % 2 else f"Order {number} arrived late"
            said += f" {MARKER}" if number == MARKED else ""
            published = now - timedelta(minutes=number % 1440)
            writer.writerow((f"r{number}", said, published.isoformat()))


def test_an_outage_mid_run_keeps_what_was_stored_and_the_next_run_stores_the_rest(
    tmp_path, postgres_url
):
    export = tmp_path / "export.csv"
    write_export(export)
    source = {"kind": "file", "name": "export", "path": str(export), "columns": COLUMNS}
    config = config_from_table({"database_url": postgres_url, "model": "fast", "source": [source]})
    engine = connect(postgres_url)
    with engine.begin() as connection:
        connection.execute(
            text(f"""
            CREATE FUNCTION refuse_marked() RETURNS trigger AS $$
            BEGIN
                IF NEW.body LIKE '%{MARKER}%' THEN
                    RAISE EXCEPTION 'terminating connection due to administrator command'
                        USING ERRCODE = '57P01';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        )
        connection.execute(text(
            "CREATE TRIGGER refuse_marked BEFORE INSERT ON posts "
            "FOR EACH ROW EXECUTE FUNCTION refuse_marked()"
        ))  # fmt: skip

    [outcome] = collect(config, engine)

    assert outcome.status == "error"
    assert "storing a batch failed" in (outcome.error or "")
    assert "administrator command" in (outcome.error or "")
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(posts))
        state = connection.scalar(select(sources.c.state).where(sources.c.name == "export"))
        quarantined = connection.scalar(select(func.count()).select_from(quarantined_posts))
    assert stored == BATCH_ROWS  # the first batch; not the second, nor the ones after it
    assert outcome.counts.posts_new == BATCH_ROWS
    assert state["rows_done"] == BATCH_ROWS  # the checkpoint of the last stored batch
    assert quarantined == 0  # an outage is no row's fault

    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_marked ON posts"))
    [again] = collect(config, engine)

    assert again.status == "ok", again.error
    assert again.counts.posts_new == ROWS - BATCH_ROWS
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(posts))
        distinct = connection.scalar(select(func.count(posts.c.external_id.distinct())))
    assert total == distinct == ROWS
    engine.dispose()
