"""Scoring across the cores: worker processes each hold the models (one thread each) and score
a share of a batch; small batches are scored here, where the pool would only add overhead."""

from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from threading import Lock

from sentiment import analyse
from sentiment.record import Sentiment

# Below this many texts a batch is scored in this process: handing it out costs more.
MIN_POOLED_TEXTS = 64

# By (workers, model folder): a worker reads $HUNDREDFOLD_MODELS once, when it starts.
_pools: dict[tuple[int, str | None], ProcessPoolExecutor] = {}
_lock = Lock()


def default_workers() -> int:
    """Worker processes by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def analyse_pooled(
    texts: list[str], languages: list[str] | None, model: str, workers: int
) -> list[Sentiment]:
    """`sentiment.analyse` of the texts, shared among `workers` processes (1: here)."""
    if workers <= 1 or len(texts) < MIN_POOLED_TEXTS:
        return analyse(texts, languages, model)
    # Interleaved shares: a batch sorted by length or language still splits evenly.
    shares = [
        (texts[start::workers], languages[start::workers] if languages else None, model)
        for start in range(workers)
    ]
    try:
        scored = list(_pool(workers).map(_score_share, shares))
    except BrokenProcessPool:  # a worker died (killed, out of memory): score here instead
        _forget(workers)
        return analyse(texts, languages, model)
    results: list[Sentiment] = [None] * len(texts)  # type: ignore[list-item]
    for start, records in enumerate(scored):
        results[start::workers] = records
    return results


def _score_share(share: tuple[list[str], list[str] | None, str]) -> list[Sentiment]:
    """In a worker: score one share (the worker keeps its models between batches)."""
    texts, languages, model = share
    return analyse(texts, languages, model)


def _pool(workers: int) -> ProcessPoolExecutor:
    """The pool of `workers` processes, started once: spawned, so no model session or
    database connection of this process is copied into them."""
    key = (workers, os.environ.get("HUNDREDFOLD_MODELS"))
    with _lock:
        if key not in _pools:
            context = multiprocessing.get_context("spawn")
            _pools[key] = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return _pools[key]


def _forget(workers: int) -> None:
    """Drop a broken pool; the next batch starts a new one."""
    with _lock:
        pool = _pools.pop((workers, os.environ.get("HUNDREDFOLD_MODELS")), None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def _shut_down() -> None:
    """Stop the workers with this process."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)
