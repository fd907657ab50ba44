"""Connecting: migrations on connect, safe under concurrent first runs; SQLite write locking."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

from sqlalchemy import select, text, update

from data import SourceSpec, connect, sync_sources
from data.engine import MIGRATIONS, current_revision, head_revision, newest_migration
from data.schema import sources


def test_connect_brings_an_empty_database_to_the_newest_schema(database_url):
    engine = connect(database_url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(select(sources)).all() == []


def test_concurrent_first_runs_migrate_once_and_all_succeed(database_url):
    script = "import sys; from data import connect; connect(sys.argv[1]); print('ok')"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in results]
    engine = connect(database_url, migrate=False)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == [(head_revision(),)]


def test_sqlite_uses_write_ahead_logging(sqlite_url):
    engine = connect(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_sqlite_read_then_write_transactions_lose_no_update(sqlite_url):
    engine = connect(sqlite_url)
    source_id = sync_sources(engine, [SourceSpec("s", "rss", "forum", {}, 0)])["s"].id
    threads_count, increments = 4, 10

    def increment_many() -> None:
        for _ in range(increments):
            with engine.begin() as connection:  # BEGIN IMMEDIATE: the read below is protected
                value = connection.execute(
                    select(sources.c.every_seconds).where(sources.c.id == source_id)
                ).scalar_one()
                time.sleep(0.001)  # widen the window in which a lost update would happen
                connection.execute(
                    update(sources).where(sources.c.id == source_id).values(every_seconds=value + 1)
                )

    workers = [threading.Thread(target=increment_many) for _ in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with engine.connect() as connection:
        final = connection.execute(select(sources.c.every_seconds)).scalar_one()
    assert final == threads_count * increments


def test_revisions_are_numbered_like_their_files_so_the_head_reads_off_a_file_name():
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        revision = re.search(r'^revision = "([^"]+)"', path.read_text(encoding="utf-8"), re.M)
        assert revision and revision.group(1) == path.name.split("_", 1)[0], path.name
    assert newest_migration() == head_revision()
