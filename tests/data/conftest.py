"""Fixtures the storage tests share."""

from __future__ import annotations

import pytest

from data import connect


@pytest.fixture
def engine(database_url):
    """A migrated, empty database (a test module may define its own, filled one)."""
    engine = connect(database_url)
    yield engine
    engine.dispose()
