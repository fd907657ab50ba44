"""The bench's growth figures, one block per database: ingest through the real pipeline into
the bench database itself, page and alert p95s, stats, and the dashboard's memory."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from data import connect
from data.retention import erase_source_posts
from hundredfold.bench_ingest import write_export
from hundredfold.bench_sentiment import mixed_stream
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect

INGEST_POSTS = 2000  # per model: long enough to be steady, short enough for a 1M bench
RSS_TIMEOUT_S = 600


def ingest_into(database_url: str, models: list[str], count: int = INGEST_POSTS) -> dict:
    """Posts per second of `collect --once` of a fresh export into the bench database, per
    model (None without labelled dev texts to draw it from); the ingested posts are deleted
    again, so the bench database keeps its size."""
    texts = mixed_stream(count)
    if not texts:  # no labelled dev files here ($HUNDREDFOLD_TRAINING_DATA, ../shared/data)
        return dict.fromkeys(models)
    figures: dict[str, float | None] = {}
    engine = connect(database_url)
    with tempfile.TemporaryDirectory(prefix="hundredfold-ingest-") as folder:
        for model in models:
            stamp = f"{model}-{time.time_ns()}"  # new ids each run: every post is new
            path = Path(folder) / f"{stamp}.csv"
            export = write_export(path, [f"{text} #{stamp}" for text in texts], datetime.now(UTC))
            export["name"] = f"bench-ingest-{model}"
            config = config_from_table({"database_url": database_url, "model": model,
                                        "source": [export]})  # fmt: skip
            started = time.perf_counter()
            [outcome] = collect(config, engine)
            seconds = time.perf_counter() - started
            erase_source_posts(engine, export["name"])
            figures[model] = round(outcome.counts.posts_new / seconds, 1)
    engine.dispose()
    return figures


def dashboard_rss_mb(database_url: str) -> float | None:
    """Anonymous memory (RssAnon: not SQLite's file map) of a process that has rendered the
    Overview on this database, in MB; None where /proc is not there to read it."""
    script = (
        "import json, sys; from hundredfold.bench_render import time_overview_render; "
        "time_overview_render(sys.argv[1], 1); "
        "status = open('/proc/self/status').read().split('\\n'); "
        "kb = next(int(l.split()[1]) for l in status if l.startswith('RssAnon:')); "
        "print(json.dumps(kb))"
    )
    try:
        done = subprocess.run([sys.executable, "-c", script, database_url], capture_output=True,
                              text=True, timeout=RSS_TIMEOUT_S, check=True)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return round(json.loads(done.stdout.strip().splitlines()[-1]) / 1024, 1)


def growth_keys(pages: dict, upkeep: dict, ingest: dict, rss_mb: float | None) -> dict[str, Any]:
    """The figures the README's growth table shows, under fixed keys."""

    def p95_ms(page: str) -> float:
        return round(sum(figure["p95_s"] for figure in pages[page].values()) * 1000, 1)

    return {
        "ingest_posts_per_s": ingest,
        "overview_ms_p95": p95_ms("overview"),
        "queue_ms_p95": p95_ms("queue"),
        "alerts_ms_p95": round(upkeep["alerts_steady_p95_s"] * 1000, 1),
        "alerts_first_ms": round(upkeep["alerts_first_s"] * 1000, 1),
        "stats_ms": round(upkeep["stats_median_s"] * 1000, 1),
        "dashboard_rss_mb": rss_mb,
    }
