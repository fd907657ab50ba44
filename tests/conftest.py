"""Shared fixtures: databases (SQLite and PostgreSQL), the feed server, fixture files, CI."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from hundredfold.redaction import forget_secrets
from tests.mail_server import MailServer, pymap_installed
from tests.receivers import MailReceiver
from tests.reddit_server import RedditServer, serve_recordings
from tests.servers import FeedServer

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get(
    "HUNDREDFOLD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def require(available: bool, what: str) -> None:
    """Skip a test whose real server is missing on a developer machine; fail in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI (CI=true) but is not available")
    pytest.skip(f"{what} is not available on this machine")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Tests never see the developer's own config or database, nor an earlier test's secrets."""
    for name in ("HUNDREDFOLD_CONFIG", "HUNDREDFOLD_DATABASE_URL", "HUNDREDFOLD_BRAND_NAME"):
        monkeypatch.delenv(name, raising=False)
    forget_secrets()
    monkeypatch.chdir(tmp_path)


def _postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped after it."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"hf_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        require(False, f"PostgreSQL at {POSTGRES_URL} ({error.orig})")
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hundredfold.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """An empty SQLite database file (for tests that are about the embedded default)."""
    return f"sqlite:///{tmp_path / 'hundredfold.db'}"


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def feed_server_session():
    """One feed server for the whole session, stopped at the end."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def feed_server(feed_server_session):
    """The session's feed server with no routes and no recorded requests."""
    feed_server_session.reset()
    yield feed_server_session
    feed_server_session.reset()


@pytest.fixture
def fixture_path():
    """Path of a file in tests/fixtures, failing clearly when it is missing."""

    def locate(name: str) -> Path:
        path = FIXTURES / name
        assert path.is_file(), f"missing fixture file {path}"
        return path

    return locate


@pytest.fixture(scope="session")
def reddit_server_session():
    """One fake Reddit API for the whole session."""
    with RedditServer() as server:
        yield server


@pytest.fixture
def reddit(reddit_server_session):
    """The fake Reddit serving the recorded listings and threads, nothing failing."""
    yield serve_recordings(reddit_server_session)
    reddit_server_session.reset()


@pytest.fixture(scope="session")
def mail_server() -> Iterator[MailServer]:
    """One real IMAP server (pymap) for the whole session; each test makes its own folder."""
    require(pymap_installed(), "the pymap IMAP server (pip install pymap)")
    with MailServer() as server:
        yield server


@pytest.fixture
def mailbox() -> Iterator[MailReceiver]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it receives."""
    receiver = MailReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def silent_url() -> Iterator[str]:
    """http://127.0.0.1:PORT where connections are taken (the backlog) but never answered."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
