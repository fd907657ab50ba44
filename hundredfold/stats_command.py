"""`hundredfold stats`: what is stored, in numbers (the rollups and small counters only, so
the command imports neither the pipeline nor the models)."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from data import collection_stats, connect
from hundredfold.commands import command_help
from hundredfold.config import load_config
from hundredfold.output import print_json


def add_stats_command(commands, common: argparse.ArgumentParser) -> None:
    """Register `stats [--json]`."""
    stats = commands.add_parser("stats", parents=[common], help=command_help("stats"))
    stats.add_argument("--json", action="store_true", help="one JSON line on stdout")
    stats.set_defaults(handler=command_stats)


def command_stats(args: argparse.Namespace) -> int:
    """Print what is stored: totals, breakdowns and sources that need attention."""
    config = load_config(args.config)
    engine = connect(config.database_url)
    stats = collection_stats(
        engine,
        config.negative_threshold,
        silent_after=timedelta(seconds=config.silent_after_seconds),
    )
    if args.json:
        print_json(stats)
        return 0
    print(f"database       {safe_url(engine.url)}")
    print(f"posts          {stats['posts']:,}")
    print(
        f"negative       {stats['negative_posts']:,}  (P(negative) >= {config.negative_threshold})"
    )
    print(f"reply queue    {stats['open_queue']:,} open")
    for title, key in (
        ("by channel", "posts_by_channel"),
        ("by language", "posts_by_language"),
        ("by source kind", "posts_by_source_kind"),
    ):
        print(f"{title:<15}" + ", ".join(f"{k} {v:,}" for k, v in stats[key].items()))
    problems = (("ERROR", "sources_with_errors"), ("warning", "sources_with_warnings"),
                ("silent", "silent_sources"))  # fmt: skip
    for title, key in problems:
        for problem in stats[key]:
            print(
                f"{title:<8} {problem['name']} ({problem['kind']}) at {problem['at']}: "
                f"{problem['message']}"
            )
    return 0


def safe_url(url: Any) -> str:
    """A database URL fit to print: the password hidden."""
    return url.render_as_string(hide_password=True)
