"""A collector's hold on the sources it runs: leased at the start of a run, renewed by a
heartbeat while the run goes on, given back as each source's run is recorded."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine

from data.leases import lease_sources, release_lease, renew_leases

log = logging.getLogger("hundredfold.collect")


class LeaseKeeper:
    """Leases for one collection run; use as a context manager around the run."""

    def __init__(self, engine: Engine, lease_seconds: int, now: Callable[[], datetime]):
        self.engine = engine
        self.lease = timedelta(seconds=lease_seconds)
        self.now = now
        self.held: set[int] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def take(self, source_ids: list[int], *, due_only: bool, at: datetime) -> set[int]:
        """Lease what is free (and due, with `due_only`) of `source_ids`; the ids now held."""
        taken = lease_sources(self.engine, source_ids, now=at, lease=self.lease, due_only=due_only)
        with self._lock:
            self.held |= taken
        return taken

    def give_back(self, source_id: int) -> None:
        """The source's run is recorded: stop renewing and free it for any collector."""
        with self._lock:
            self.held.discard(source_id)
        release_lease(self.engine, source_id)

    def __enter__(self) -> LeaseKeeper:
        self._heartbeat = threading.Thread(target=self._renew, name="leases", daemon=True)
        self._heartbeat.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopped.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
        for source_id in list(self.held):
            self.give_back(source_id)

    def _renew(self) -> None:
        """Renew the held leases every third of their length until the run ends."""
        while not self._stopped.wait(self.lease.total_seconds() / 3):
            with self._lock:
                held = set(self.held)
            try:
                kept = renew_leases(self.engine, held, now=self.now(), lease=self.lease)
            except Exception:  # the database away for a moment: the next beat tries again
                log.warning("renewing source leases failed; retrying", exc_info=True)
                continue
            for lost in held - kept:
                log.warning("the lease on source %d ran out and another collector took it", lost)
