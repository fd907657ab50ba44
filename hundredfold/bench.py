"""`hundredfold bench`: a realistic database of N posts, then the dashboard's queries timed."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from rich.progress import Progress

from data import connect
from data.bench import bench_posts, generate
from data.queue import QueueFilter, count_cases, queue_cases
from data.trends import (
    View,
    complaint_topics,
    daily_trend,
    headline,
    posts_in_view,
    product_breakdown,
)
from hundredfold.output import print_json
from hundredfold.pipeline import utc_now

DEFAULT_BENCH_URL = "sqlite:///./hundredfold-bench.db"


def add_bench_command(commands, common: argparse.ArgumentParser) -> None:
    """Register `bench --posts N [--database-url URL] [--repeat R] [--json]`."""
    bench = commands.add_parser(
        "bench", parents=[common], help="time the dashboard's queries on a database of N posts"
    )
    bench.add_argument(
        "--posts",
        type=int,
        default=100_000,
        metavar="N",
        help="posts in the bench database (generated once, then reused)",
    )
    bench.add_argument(
        "--database-url",
        default=DEFAULT_BENCH_URL,
        metavar="URL",
        help=f"where to build it (default {DEFAULT_BENCH_URL}; never your data)",
    )
    bench.add_argument("--repeat", type=int, default=7, help="runs of each query (default 7)")
    bench.add_argument("--json", action="store_true", help="one JSON line on stdout")
    bench.set_defaults(handler=command_bench)  # fmt: skip


def overview_queries(engine, now: datetime) -> dict[str, Callable[[], object]]:
    """The reads one Overview and one Reply-queue page view make, by name."""
    end = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    view = View(end - timedelta(days=30), end)
    previous = View(end - timedelta(days=60), view.start)
    return {
        "headline_30d": lambda: headline(engine, view),
        "headline_previous_30d": lambda: headline(engine, previous),
        "daily_trend_30d": lambda: daily_trend(engine, view, "Asia/Shanghai"),
        "complaint_topics_30d": lambda: complaint_topics(engine, view),
        "product_breakdown_30d": lambda: product_breakdown(engine, view),
        "posts_in_view_30d": lambda: posts_in_view(engine, view, limit=50),
        "queue_count": lambda: count_cases(engine, QueueFilter()),
        "queue_page": lambda: queue_cases(engine, QueueFilter()),
    }


def time_queries(queries: dict[str, Callable[[], object]], repeat: int) -> dict[str, dict]:
    """Median and p95 seconds of each query over `repeat` runs (after one warm-up run)."""
    figures = {}
    for name, query in queries.items():
        query()  # warm the page cache: a dashboard serves many views, not a cold start
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            query()
            runs.append(time.perf_counter() - started)
        p95 = statistics.quantiles(runs, n=20, method="inclusive")[18] if len(runs) > 1 else runs[0]
        figures[name] = {"median_s": round(statistics.median(runs), 4), "p95_s": round(p95, 4)}
    return figures


def command_bench(args: argparse.Namespace) -> int:
    """Build (or reuse) the bench database, time the queries, print the figures."""
    engine = connect(args.database_url)
    now = utc_now()
    missing = max(0, args.posts - bench_posts(engine))
    started = time.perf_counter()
    if missing:
        with Progress(disable=args.json or not sys.stderr.isatty(), transient=True) as progress:
            task = progress.add_task(f"generating {missing:,} posts", total=missing)
            for done in generate(engine, missing, now):
                progress.update(task, completed=done)
    generated_s = time.perf_counter() - started
    figures = time_queries(overview_queries(engine, now), max(1, args.repeat))
    page = sum(figure["median_s"] for figure in figures.values())
    report = {
        "posts": bench_posts(engine), "database": engine.dialect.name,
        "generated_posts": missing, "generate_seconds": round(generated_s, 1),
        "repeat": args.repeat, "queries": figures, "page_median_s": round(page, 4),
    }  # fmt: skip
    if args.json:
        print_json(report)
        return 0
    print(
        f"{report['posts']:,} posts on {report['database']} "
        f"(generated {missing:,} in {generated_s:.1f} s); {args.repeat} runs each"
    )
    for name, figure in figures.items():
        print(
            f"  {name:<24} median {figure['median_s'] * 1000:8.1f} ms   "
            f"p95 {figure['p95_s'] * 1000:8.1f} ms"
        )
    print(f"  {'one page view (sum)':<24} median {page * 1000:8.1f} ms")
    return 0
