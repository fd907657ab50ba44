"""`hundredfold bench --ingest`: posts per second through the real pipeline (a CSV export
collected by `collect --once`: parse, language, sentiment, topics, store, rollups, cases,
alerts), into a fresh SQLite database per model."""

from __future__ import annotations

import csv
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from data import connect
from hundredfold.bench_sentiment import mixed_stream
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect

COLUMNS = {"id": "id", "text": "text", "author": "author", "published_at": "published_at"}


def write_export(path: Path, texts: list[str], now: datetime) -> dict:
    """A CSV export of the texts, spread over the last 30 days; its [[source]] table."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number, text in enumerate(texts):
            published = now - timedelta(minutes=(number * 37) % (30 * 24 * 60))
            writer.writerow((f"p{number}", text, f"author{number % 997}", published.isoformat()))
    return {"kind": "file", "name": "export", "path": str(path), "columns": COLUMNS}


def ingest_bench(models: list[str], count: int) -> dict[str, dict]:
    """Per model: posts stored, seconds the collection took and posts per second, as a first
    `collect --once` (scoring workers started and models loaded on the way) and as a running
    `serve` sees it (the same export into a second fresh database, the workers warm)."""
    texts = mixed_stream(count)
    report = {}
    with tempfile.TemporaryDirectory(prefix="hundredfold-ingest-") as folder:
        export = write_export(Path(folder) / "export.csv", texts, datetime.now(UTC))
        for model in models:
            first = _collected(Path(folder) / f"{model}.db", export, model)
            warm = _collected(Path(folder) / f"{model}-warm.db", export, model)
            report[model] = {**first, "warm_seconds": warm["seconds"],
                             "warm_posts_per_s": warm["posts_per_s"]}  # fmt: skip
    return report


def _collected(database: Path, export: dict, model: str) -> dict:
    """One collection of the export into a fresh database: posts stored, seconds, posts/s."""
    url = f"sqlite:///{database}"
    config = config_from_table({"database_url": url, "model": model, "source": [export]})
    engine = connect(url)  # migrations are not part of the figure
    started = time.perf_counter()
    [outcome] = collect(config, engine)
    seconds = time.perf_counter() - started
    engine.dispose()
    stored = outcome.counts.posts_new
    return {
        "posts": stored,
        "seconds": round(seconds, 2),
        "posts_per_s": round(stored / seconds, 1),
    }
