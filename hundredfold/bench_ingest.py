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
    """Per model: posts stored, seconds the collection took, posts per second."""
    texts = mixed_stream(count)
    report = {}
    with tempfile.TemporaryDirectory(prefix="hundredfold-ingest-") as folder:
        export = write_export(Path(folder) / "export.csv", texts, datetime.now(UTC))
        for model in models:
            url = f"sqlite:///{Path(folder) / f'{model}.db'}"
            config = config_from_table({"database_url": url, "model": model, "source": [export]})
            engine = connect(url)  # migrations are not part of the figure
            started = time.perf_counter()
            [outcome] = collect(config, engine)
            seconds = time.perf_counter() - started
            engine.dispose()
            stored = outcome.counts.posts_new
            report[model] = {"posts": stored, "seconds": round(seconds, 2),
                             "posts_per_s": round(stored / seconds, 1)}  # fmt: skip
    return report
