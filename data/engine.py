"""Connect to the database and bring its schema up to date, safely under concurrent starts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Row, Table, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

from data.rollups import fill_empty_rollup

MIGRATIONS = Path(__file__).with_name("migrations")
# Any constant works: it names the lock all Hundredfold processes take while migrating.
ADVISORY_LOCK_KEY = 0x48756E64
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_MMAP_BYTES = 1 << 30
READ_ONLY = {"hundredfold_read_only": True}


def connect(url: str, migrate: bool = True) -> Engine:
    """An Engine for `url` with the schema at head; SQLite gets WAL and BEGIN IMMEDIATE."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if migrate:
        upgrade(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and write transactions that take the lock up front.

    pysqlite's own transaction handling starts transactions lazily (DEFERRED), so two
    writers that both read first can lose an update; BEGIN IMMEDIATE makes the second wait.
    Reads (connections with READ_ONLY options) begin deferred and never block writers.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Reads of a large database go through the page cache instead of read() calls.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        read_only = connection.get_execution_options().get("hundredfold_read_only")
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's config pointed at our migrations (and at `engine`, when given)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str | None:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def newest_migration() -> str:
    """The newest migration's revision read off its file name (revisions are numbered like
    their files, which tests/data/test_engine.py holds): no alembic import needed."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*.py"))


def _at_head(engine: Engine) -> bool:
    """Whether the database says it is at the newest migration (the common case, checked in
    one query so a command that finds nothing to migrate never loads alembic)."""
    try:
        with engine.connect().execution_options(**READ_ONLY) as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no version table yet: a new database
        return False
    return version == newest_migration()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect().execution_options(**READ_ONLY) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply pending migrations under a database-wide lock; a no-op when already at head."""
    if _at_head(engine):
        return
    from alembic import command

    head = head_revision()
    if current_revision(engine) == head:
        return
    config = alembic_config(engine)
    with engine.begin() as connection:  # SQLite: BEGIN IMMEDIATE holds the write lock
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        # Derived tables a migration created or reshaped are filled under the same lock.
        fill_empty_rollup(connection)


def locked_row(connection: Connection, table: Table, row_id: int) -> Row | None:
    """A row by id, locked until the transaction ends (PostgreSQL `FOR UPDATE`).

    SQLite needs no row lock: its write transactions are BEGIN IMMEDIATE, one at a time.
    """
    query = select(table).where(table.c.id == row_id)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return connection.execute(query).first()
