"""The commands cli.py owns: init, demo, dashboard, collect (see collect_command.py), stats."""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import replace
from datetime import timedelta
from importlib.resources import files
from pathlib import Path

from data import collection_stats, connect
from hundredfold.collect_command import command_collect
from hundredfold.commands import command_help
from hundredfold.config import (
    DEFAULT_CONFIG_FILE,
    ConfigError,
    config_from_table,
    load_config,
    parse_duration,
)
from hundredfold.output import print_json
from hundredfold.pipeline import utc_now
from hundredfold.progress import CollectProgress
from hundredfold.serve import (
    DashboardProcess,
    add_address_arguments,
    check_exposure,
    serve_dashboard,
)
from hundredfold.service import DEFAULT_EVERY, Service
from hundredfold.stats_command import safe_url


class UsageError(ConfigError):
    """A bad argument: printed as one line, exit status 2."""


def add_core_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register init, demo, dashboard and collect."""
    init = commands.add_parser("init", parents=[common], help=command_help("init"))
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(handler=command_init)

    demo = commands.add_parser("demo", parents=[common], help=command_help("demo"))
    demo.add_argument("--no-serve", action="store_true", help="load the data, do not serve")
    demo.add_argument(
        "--limit", type=int, metavar="N", help="load only the newest N sample posts (quick trials)"
    )
    demo.add_argument("--json", action="store_true", help="one JSON line on stdout")
    add_address_arguments(demo)
    demo.set_defaults(handler=command_demo)

    board = commands.add_parser("dashboard", parents=[common], help=command_help("dashboard"))
    add_address_arguments(board)
    board.set_defaults(handler=command_dashboard)

    collect_parser = commands.add_parser("collect", parents=[common], help=command_help("collect"))
    when = collect_parser.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="run every source now, then exit")
    when.add_argument(
        "--every",
        metavar="DURATION",
        help="keep running; check for due sources this often (e.g. 10m)",
    )
    collect_parser.add_argument("--json", action="store_true", help="one JSON line on stdout")
    collect_parser.set_defaults(handler=command_collect)  # in collect_command.py


def command_init(args: argparse.Namespace) -> int:
    """Write the commented config template."""
    target = Path(args.config or DEFAULT_CONFIG_FILE)
    if target.exists() and not args.force:
        raise UsageError(f"{target} already exists (use --force to overwrite)")
    template = files("hundredfold").joinpath("config_template.toml").read_text(encoding="utf-8")
    target.write_text(template, encoding="utf-8")
    print(f"wrote {target}: set brand_terms and add [[source]] tables, then `hundredfold collect`")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    """Collect the bundled sample data through the real collectors."""
    from hundredfold.demo import DEMO_BRAND_TERMS, DEMO_PRODUCTS, write_demo_sources
    from hundredfold.demo.history import load_demo

    config = load_config(args.config)
    if args.limit is not None and args.limit <= 0:
        raise UsageError(f"--limit: must be a positive number, got {args.limit}")
    if not args.no_serve:
        check_exposure(config, args.host)  # before loading, not after
    now = utc_now()
    with tempfile.TemporaryDirectory(prefix="hundredfold-demo-") as folder:
        tables = write_demo_sources(Path(folder), now, limit=args.limit)
        demo = config_from_table(
            {"brand_terms": DEMO_BRAND_TERMS, "products": DEMO_PRODUCTS, "source": tables}
        )
        demo_config = replace(
            config, brand_terms=demo.brand_terms, products=demo.products, sources=demo.sources
        )
        engine = connect(demo_config.database_url)
        with CollectProgress(quiet=args.json) as progress:
            # Stored with a team's history: collections, replies and alerts over past weeks.
            outcomes = load_demo(demo_config, engine, now, on_progress=progress)
    stats = collection_stats(
        engine,
        config.negative_threshold,
        silent_after=timedelta(seconds=config.silent_after_seconds),
    )
    if args.json:
        print_json({"sources": [o.as_dict() for o in outcomes], "stats": stats})
    else:
        print(
            f"demo loaded into {safe_url(engine.url)}: {stats['posts']:,} posts, "
            f"{stats['negative_posts']:,} negative, {stats['open_queue']:,} in the reply queue"
        )
    if args.no_serve:
        return 0
    brand = config.brand_name or DEMO_BRAND_TERMS[0]
    # Served as a team runs it: the sample's alerts and SLA clocks keep ageing.
    every = parse_duration(DEFAULT_EVERY)
    service = Service(replace(config, sources=[]), engine, every, every)
    return service.run(DashboardProcess(config, args.host, args.port, brand))


def command_dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard over the configured database (its schema brought up to date)."""
    config = load_config(args.config)
    connect(config.database_url).dispose()
    return serve_dashboard(config, args.host, args.port)
