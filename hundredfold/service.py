"""`hundredfold serve`: one process for a team's machine. It runs the collection schedule
(each source when it is due), keeps the alerts, stale claims, ended snoozes and retention on
their own clock (every minute by default, whether or not anything was collected), and serves
the dashboard. SIGTERM or Ctrl+C lets the round in hand finish, then everything stops.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from hundredfold.collector_lock import collector_lock
from hundredfold.commands import command_help
from hundredfold.config import Config, ConfigError, load_config, parse_duration
from hundredfold.digest import send_digest_if_due
from hundredfold.pipeline import SourceOutcome, collect, keep_up, utc_now
from hundredfold.serve import DashboardProcess, add_address_arguments

log = logging.getLogger("hundredfold.serve")
DEFAULT_EVERY = "1m"


def add_serve_command(commands, common: argparse.ArgumentParser) -> None:
    """Register `serve [--alerts-every D] [--check-every D] [--no-dashboard] [--host --port]`."""
    serve = commands.add_parser(
        "serve", parents=[common],
        help=command_help("serve"),
    )  # fmt: skip
    serve.add_argument("--alerts-every", default=DEFAULT_EVERY, metavar="DURATION",
                       help="how often alerts, claims, snoozes and retention are brought up "
                       f"to date (default {DEFAULT_EVERY})")  # fmt: skip
    serve.add_argument("--check-every", default=DEFAULT_EVERY, metavar="DURATION",
                       help=f"how often due sources are looked for ({DEFAULT_EVERY})")  # fmt: skip
    serve.add_argument("--no-dashboard", action="store_true", help="collect and alert only")
    add_address_arguments(serve)
    serve.set_defaults(handler=command_serve)


def command_serve(args: argparse.Namespace) -> int:
    """Run the service until SIGTERM or Ctrl+C."""
    from data import connect

    config = load_config(args.config)
    try:
        alerts_every, check_every = (
            parse_duration(args.alerts_every),
            parse_duration(args.check_every),
        )
    except ValueError as error:
        raise ConfigError(f"--alerts-every / --check-every: {error}") from error
    engine = connect(config.database_url)
    service = Service(config, engine, alerts_every, check_every)
    dashboard = None if args.no_dashboard else DashboardProcess(config, args.host, args.port)
    # Only a service that collects takes the collector lock (the demo's and an alerts-only
    # one do not).
    with collector_lock(config.database_url) if config.sources else nullcontext():
        return service.run(dashboard)


@dataclass
class Service:
    """The collection loop (this thread) and the upkeep clock (a thread of its own)."""

    config: Config
    engine: Engine
    alerts_every: float
    check_every: float
    clock: Callable[[], datetime] = utc_now
    stopping: threading.Event = field(default_factory=threading.Event)

    def stop(self, *_: Any) -> None:
        """Ask both loops to end after what they are doing."""
        if not self.stopping.is_set():
            log.warning("stopping: the round in hand finishes first")
        self.stopping.set()

    def run(self, dashboard: DashboardProcess | None = None) -> int:
        """Serve until stopped; 1 when the dashboard died on its own (a supervisor restarts)."""
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self.stop)
        clock = threading.Thread(target=self._upkeep_loop, name="upkeep", daemon=True)
        clock.start()
        status = 0
        log.warning("serving: %d source(s), alerts every %gs", len(self.config.sources),
                    self.alerts_every)  # fmt: skip
        try:
            while not self.stopping.is_set():
                if dashboard is not None and dashboard.process.poll() is not None:
                    log.error("the dashboard stopped (exit %s)", dashboard.process.returncode)
                    status = 1
                    break
                self._collect_round()
                self.stopping.wait(self.check_every)
        finally:
            self.stopping.set()
            clock.join(timeout=60)
            if dashboard is not None:
                dashboard.stop()
        log.warning("stopped")
        return status

    def _collect_round(self) -> None:
        """Every due source once, one log line per source run."""
        if not self.config.sources:
            return
        logged: set[str] = set()

        def report(outcome: SourceOutcome) -> None:
            if outcome.status != "running" and outcome.name not in logged:
                logged.add(outcome.name)
                log.warning("%s", run_line(outcome))

        try:
            collect(self.config, self.engine, due_only=True, now=self.clock, on_progress=report,
                    upkeep=False)  # fmt: skip
        except Exception:  # one bad round (the database away, say) must not end the service
            log.exception("collection round failed; the next one runs on schedule")

    def _upkeep_loop(self) -> None:
        """Alerts, holds and retention on their own clock, from the first moment."""
        while not self.stopping.is_set():
            try:
                keep_up(self.config, self.engine, self.clock())
            except Exception:
                log.exception("alert evaluation failed; it runs again on schedule")
            try:
                send_digest_if_due(self.config, self.engine, self.clock())
            except Exception:  # the database away: the boundary is still unsent, tried next
                log.exception("the digest could not be checked; it is tried again on schedule")
            self.stopping.wait(self.alerts_every)


def run_line(outcome: SourceOutcome) -> str:
    """'source forum (rss): ok, 12 new, 3 updated' — what one source run did."""
    counts = outcome.counts
    line = (f"source {outcome.name} ({outcome.kind}): {outcome.status}, {counts.posts_new} new, "
            f"{counts.posts_updated} updated")  # fmt: skip
    if outcome.error:
        line += f"; {outcome.error}"
    elif outcome.warnings:
        line += f"; {len(outcome.warnings)} warning(s): {outcome.warnings[0]}"
    return line
