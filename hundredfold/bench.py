"""`hundredfold bench`: a realistic database of N posts, then the dashboard's queries timed."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from rich.progress import Progress

from data import connect
from data.bench import bench_posts, generate
from data.queue import QueueFilter, lane_counts, queue_facets, ranked_cases
from data.team import reply_figures
from data.trends import (
    SHOWN_POSTS,
    View,
    alert_markers,
    complaint_topics,
    daily_trend,
    headline,
    posts_in_view,
    product_breakdown,
    product_names,
)
from hundredfold.bench_growth import INGEST_POSTS, dashboard_rss_mb, growth_keys, ingest_into
from hundredfold.bench_render import time_overview_render
from hundredfold.bench_upkeep import time_upkeep
from hundredfold.commands import command_help
from hundredfold.output import print_json
from hundredfold.pipeline import utc_now

DEFAULT_BENCH_URL = "sqlite:///./hundredfold-bench.db"
SLA_HOURS = 6.0  # the design's expectation, which the bench cases were answered against


def add_bench_command(commands, common: argparse.ArgumentParser) -> None:
    """Register `bench --posts N [--database-url URL] [--repeat R] [--render] [--json]`."""
    bench = commands.add_parser("bench", parents=[common], help=command_help("bench"))
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
    bench.add_argument(
        "--render",
        action="store_true",
        help="also time whole Overview renders (Streamlit script runs), data cache emptied",
    )
    bench.add_argument(
        "--sentiment",
        action="store_true",
        help="time the sentiment models instead, on a mixed stream of dev texts and on long "
        "reviews (quote with OMP_NUM_THREADS=1 taskset -c 0)",
    )
    bench.add_argument(
        "--ingest",
        action="store_true",
        help="time the real pipeline instead: a CSV export of up to --posts distinct dev "
        "texts collected into a fresh SQLite database per model",
    )
    bench.add_argument(
        "--model", action="append", help="with --sentiment or --ingest: this model (repeatable)"
    )
    bench.add_argument(
        "--ingest-posts",
        type=int,
        default=INGEST_POSTS,
        metavar="N",
        help=f"posts per model collected into the bench database for the growth figures "
        f"(default {INGEST_POSTS:,}; deleted again after)",
    )
    bench.add_argument("--json", action="store_true", help="one JSON line on stdout")
    bench.set_defaults(handler=command_bench)  # fmt: skip


def page_queries(engine, now: datetime) -> dict[str, dict[str, Callable[[], object]]]:
    """The reads one Overview and one Reply-queue page view make, by page and name: the
    Overview's last 30 days against the 30 before, as an executive first opens it."""
    end = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    view = View(end - timedelta(days=30), end)
    previous = View(end - timedelta(days=60), view.start)

    themes = complaint_topics(engine, view)["topic"].head(3).tolist()  # the page has them

    def top_theme_examples() -> None:
        for topic in themes:
            posts_in_view(engine, replace(view, topics=(topic,)), complaints_only=True, limit=2)

    overview = {
        "headline": lambda: headline(engine, view),
        "headline_previous": lambda: headline(engine, previous),
        "reply_figures": lambda: reply_figures(engine, view.start, view.end, SLA_HOURS),
        "reply_figures_previous": lambda: reply_figures(
            engine, previous.start, view.start, SLA_HOURS
        ),
        "daily_trend": lambda: daily_trend(engine, view, "Asia/Shanghai"),
        "alert_markers": lambda: alert_markers(engine, view),
        "complaint_topics": lambda: complaint_topics(engine, view),
        "product_breakdown": lambda: product_breakdown(engine, view),
        "product_names": lambda: product_names(engine),
        "top_theme_examples": top_theme_examples,
        "posts_in_view": lambda: posts_in_view(engine, view, limit=SHOWN_POSTS),
    }
    queue = {
        "queue_lane_counts": lambda: lane_counts(engine, QueueFilter()),
        "queue_page": lambda: ranked_cases(engine, QueueFilter(view="next")),
        "queue_backfill_page": lambda: ranked_cases(engine, QueueFilter(view="backfill")),
        "queue_facets": lambda: queue_facets(engine),
    }
    return {"overview": overview, "queue": queue}


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
    if args.sentiment:
        return _sentiment(args)
    if args.ingest:
        return _ingest(args)
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
    pages = {
        page: time_queries(queries, max(1, args.repeat))
        for page, queries in page_queries(engine, now).items()
    }
    report = {
        "posts": bench_posts(engine), "database": engine.dialect.name,
        "generated_posts": missing, "generate_seconds": round(generated_s, 1),
        "repeat": args.repeat, "pages": pages,
        **{f"{page}_page_median_s": _page_seconds(figures) for page, figures in pages.items()},
    }  # fmt: skip
    report["upkeep"] = time_upkeep(engine, now, max(1, args.repeat))
    ingest = ingest_into(args.database_url, ["default", "fast"], max(1, args.ingest_posts))
    report[engine.dialect.name] = growth_keys(
        pages, report["upkeep"], ingest, dashboard_rss_mb(args.database_url)
    )
    if args.render:
        report["overview_render"] = time_overview_render(args.database_url, max(1, args.repeat))
    if args.json:
        print_json(report)
        return 0
    print(
        f"{report['posts']:,} posts on {report['database']} "
        f"(generated {missing:,} in {generated_s:.1f} s); {args.repeat} runs each"
    )
    for page, figures in pages.items():
        for name, figure in figures.items():
            print(
                f"  {page + '.' + name:<34} median {figure['median_s'] * 1000:8.1f} ms   "
                f"p95 {figure['p95_s'] * 1000:8.1f} ms"
            )
        print(f"  {page + ' page view (sum)':<34} median {_page_seconds(figures) * 1000:8.1f} ms")
    upkeep = report["upkeep"]
    print(f"  {'alerts, first evaluation':<34} {upkeep['alerts_first_s'] * 1000:8.1f} ms   "
          f"then median {upkeep['alerts_steady_median_s'] * 1000:.1f} ms "
          f"({upkeep['alerts_open']:,} open)")  # fmt: skip
    print(f"  {'stats':<34} median {upkeep['stats_median_s'] * 1000:8.1f} ms")
    growth = report[report["database"]]
    print(
        f"  {'ingest into this database':<34} "
        + ", ".join(
            f"{m} {v:,.1f} posts/s" if v is not None else f"{m} - (no dev texts)"
            for m, v in growth["ingest_posts_per_s"].items()
        )  # fmt: skip
    )
    print(f"  {'dashboard memory (RssAnon)':<34} {growth['dashboard_rss_mb']} MB")
    if args.render:
        render = report["overview_render"]
        print(
            f"  {'overview render (whole page)':<34} median {render['median_s'] * 1000:8.1f} ms   "
            f"max {render['max_s'] * 1000:8.1f} ms"
        )
    return 0


def _sentiment(args: argparse.Namespace) -> int:
    """`bench --sentiment`: texts/second per model, mixed stream and long reviews."""
    from hundredfold.bench_sentiment import sentiment_bench

    models = args.model or ["default", "fast"]
    report = sentiment_bench(models, min(args.posts, 2000), max(1, args.repeat))
    if args.json:
        print_json(report)
        return 0
    for model, figures in report.items():
        for stream, figure in figures.items():
            if figure:
                print(f"  {model:<8} {stream:<13} {figure['texts']:>5} texts, "
                      f"{figure['mean_chars']:>6.0f} chars mean: "
                      f"median {figure['median_texts_per_s']:,.1f} texts/s")  # fmt: skip
    return 0


def _ingest(args: argparse.Namespace) -> int:
    """`bench --ingest`: posts/second through `collect`, per model."""
    from hundredfold.bench_ingest import ingest_bench

    report = ingest_bench(args.model or ["default", "fast"], min(args.posts, 20_000))
    if args.json:
        print_json({"ingest": report})
        return 0
    for model, figure in report.items():
        print(f"  {model:<8} {figure['posts']:>6,} posts in {figure['seconds']:>7.1f} s: "
              f"{figure['posts_per_s']:,.1f} posts/s; workers warm, "
              f"{figure['warm_posts_per_s']:,.1f} posts/s")  # fmt: skip
    return 0


def _page_seconds(figures: dict[str, dict]) -> float:
    """One page view: the sum of its queries' medians (the page runs them one after another)."""
    return round(sum(figure["median_s"] for figure in figures.values()), 4)
