"""Scoring across the cores: worker processes each hold the models (one thread each) and score
a share of a batch; small batches are scored here, where the pool would only add overhead."""

from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from threading import Lock

from sentiment import analyse, detect_language
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
    return detect_and_analyse(texts, languages, model, workers)[1]


def detect_and_analyse(
    texts: list[str], languages: list[str] | None, model: str, workers: int
) -> tuple[list[str], list[Sentiment]]:
    """Each text's language (detected where not given, in the workers too) and its record
    from `sentiment.analyse`, shared among `workers` processes (1: here)."""
    if workers <= 1 or len(texts) < MIN_POOLED_TEXTS:
        return _score_share((texts, languages, model))
    # Interleaved shares: a batch sorted by length or language still splits evenly.
    shares = [
        (texts[start::workers], languages[start::workers] if languages else None, model)
        for start in range(workers)
    ]
    try:
        scored = list(_pool(workers).map(_score_share, shares))
    except BrokenProcessPool:  # a worker died (killed, out of memory): score here instead
        _forget(workers)
        return _score_share((texts, languages, model))
    found: list[str] = [""] * len(texts)
    results: list[Sentiment] = [None] * len(texts)  # type: ignore[list-item]
    for start, (share_languages, records) in enumerate(scored):
        found[start::workers] = share_languages
        results[start::workers] = records
    return found, results


def _score_share(
    share: tuple[list[str], list[str] | None, str],
) -> tuple[list[str], list[Sentiment]]:
    """Languages and records of one share (a worker keeps its models between batches)."""
    texts, languages, model = share
    languages = languages or [detect_language(text) for text in texts]
    return languages, analyse(texts, languages, model)


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
