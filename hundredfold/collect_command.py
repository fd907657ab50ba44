"""`hundredfold collect`: due sources once, every source once (`--once`), or on a loop
(`--every`), one collector at a time on a SQLite database."""

from __future__ import annotations

import argparse
import sys
import time

from data import connect
from hundredfold.collector_lock import collector_lock
from hundredfold.config import Config, ConfigError, load_config, parse_duration
from hundredfold.output import print_json
from hundredfold.pipeline import collect, utc_now
from hundredfold.progress import CollectProgress


def command_collect(args: argparse.Namespace) -> int:
    """Run due sources once, every source once (--once), or keep running (--every)."""
    config = load_config(args.config)
    if not config.sources:
        raise ConfigError("source: no [[source]] tables configured (see `hundredfold init`)")
    engine = connect(config.database_url)
    with collector_lock(config.database_url):
        return _collect_runs(args, config, engine)


def _collect_runs(args: argparse.Namespace, config: Config, engine) -> int:
    """`collect`'s runs, once or every `--every`, while holding the collector lock."""
    if args.every is None:
        with CollectProgress(quiet=args.json) as progress:
            outcomes = collect(config, engine, due_only=not args.once, on_progress=progress)
        if args.json:
            print_json({"sources": [outcome.as_dict() for outcome in outcomes]})
        elif not outcomes:
            print(
                "no source is due; `hundredfold collect --once` runs them all now", file=sys.stderr
            )
        return 0
    try:
        interval = parse_duration(args.every)
    except ValueError as error:
        raise ConfigError(f"--every: {error}") from error
    while True:
        with CollectProgress(quiet=args.json) as progress:
            outcomes = collect(config, engine, due_only=True, on_progress=progress)
        if args.json:
            print_json(
                {
                    "at": utc_now().isoformat(),
                    "sources": [outcome.as_dict() for outcome in outcomes],
                }
            )
        time.sleep(interval)
