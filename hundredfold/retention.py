"""Retention on the collector's schedule: posts older than `retention_days` are deleted by
every `collect` run (`--once`, due sources, each round of `--every`), at most once an hour,
and a collected post already that old is not stored."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine

from data.retention import Erased, purge_published_before
from hundredfold.config import Config

log = logging.getLogger("hundredfold.retention")
EVERY = timedelta(hours=1)
# When this process last applied retention, per database: an `--every 10m` loop purges hourly.
_last_applied: dict[str, datetime] = {}


def retention_cutoff(config: Config, now: datetime) -> datetime | None:
    """Posts published before this moment are past retention; None when retention is off."""
    return now - timedelta(days=config.retention_days) if config.retention_days > 0 else None


def apply_retention(config: Config, engine: Engine, now: datetime) -> Erased | None:
    """Delete posts published more than `retention_days` before `now`, unless this process did
    within the hour (or retention is off): None then."""
    cutoff = retention_cutoff(config, now)
    if cutoff is None:
        return None
    database = engine.url.render_as_string(hide_password=True)
    last = _last_applied.get(database)
    if last is not None and abs(now - last) < EVERY:
        return None
    erased = purge_published_before(engine, cutoff)
    _last_applied[database] = now
    if erased.posts:
        log.info(
            "retention: deleted %s (published before %s, %d days)",
            erased.summary(), f"{cutoff:%Y-%m-%d %H:%M} UTC", config.retention_days,
        )  # fmt: skip
    return erased
