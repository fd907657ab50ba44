"""One collector at a time on a SQLite database: a second `collect` or `serve` says which
process is collecting and waits for it, instead of fighting it for the write lock batch by
batch. (On PostgreSQL several collectors may run; each batch is its own transaction.)"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger("hundredfold.collect")


def lock_path(database_url: str) -> Path | None:
    """The lock file beside a SQLite database file; None for other databases (or memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).with_name(Path(url.database).name + ".collector.lock")


@contextlib.contextmanager
def collector_lock(database_url: str) -> Iterator[None]:
    """Hold the database's collector lock for the block, waiting (and saying so) when another
    process holds it. The lock goes with the process: a killed collector never leaves it."""
    path = lock_path(database_url)
    if path is None:
        yield
        return
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            log.warning("another collector is running on this database (%s); waiting for it "
                        "to finish", holder)  # fmt: skip
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
