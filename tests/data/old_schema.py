"""A database as an older Hundredfold left it: migrated only up to a given revision."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine

from data import connect
from data.engine import alembic_config


def engine_at(url: str, revision: str) -> Engine:
    """An engine on `url`, its schema brought up to `revision` and no further."""
    engine = connect(url, migrate=False)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine
