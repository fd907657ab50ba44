"""Fixtures for collector tests: the local feed server and the fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import FeedServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


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
