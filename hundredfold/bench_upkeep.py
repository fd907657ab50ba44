"""What `bench` times besides the pages: alert evaluation (first and steady) and `stats`."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select

from data.alerts import evaluate
from data.reports import collection_stats
from data.schema import alert_deliveries, alerts
from hundredfold.config import Config


def time_upkeep(engine: Engine, now: datetime, repeat: int) -> dict[str, float | int]:
    """Seconds of the first alert evaluation (no alert stored yet), the median of the steady
    ones after it, and the median of `stats`' figures; with the alerts left open."""
    config = Config(database_url=str(engine.url))

    def run() -> float:
        started = time.perf_counter()
        evaluate(engine, now, config.alerting.rules, threshold=config.negative_threshold,
                 sla=config.sla(), silent_after=timedelta(seconds=config.silent_after_seconds),
                 routes=config.alerting.routes)  # fmt: skip
        return time.perf_counter() - started

    with engine.begin() as connection:  # the bench database is ours: start with no alerts
        connection.execute(delete(alert_deliveries))
        connection.execute(delete(alerts))
    first = run()
    steady = [run() for _ in range(repeat)]
    stats = []
    for _ in range(repeat):
        started = time.perf_counter()
        collection_stats(engine, config.negative_threshold, now)
        stats.append(time.perf_counter() - started)
    with engine.connect() as connection:
        open_alerts = connection.execute(
            select(func.count()).select_from(alerts).where(alerts.c.closed_at.is_(None))
        ).scalar_one()
    return {
        "alerts_first_s": round(first, 4),
        "alerts_steady_median_s": round(statistics.median(steady), 4),
        "alerts_steady_p95_s": round(_p95(steady), 4),
        "alerts_open": int(open_alerts),
        "stats_median_s": round(statistics.median(stats), 4),
    }


def _p95(runs: list[float]) -> float:
    """The 95th percentile of a few runs (the slowest of fewer than two)."""
    if len(runs) < 2:
        return max(runs)
    return statistics.quantiles(runs, n=20, method="inclusive")[18]
