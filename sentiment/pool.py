"""Scoring across the cores: worker processes each hold the models (one thread each) and score
a share of a batch; small batches are scored here, where the pool would only add overhead."""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from threading import Lock

from sentiment import analyse, detect_language
from sentiment.complaint_topics import complaint_topics
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
    return start_scoring(texts, languages, model, workers)().records


@dataclass(frozen=True)
class TopicRules:
    """What complaint topics are read with: the configured extra terms and the threshold."""

    extra_terms: Mapping[str, list[str]]
    threshold: float


@dataclass
class Scored:
    """Per text: its language, its record and, when asked for, its complaint topics."""

    languages: list[str]
    records: list[Sentiment]
    topics: list[list[str]] | None = None


def start_scoring(
    texts: list[str],
    languages: list[str] | None,
    model: str,
    workers: int,
    topics: TopicRules | None = None,
) -> Callable[[], Scored]:
    """Hand the texts to the workers (languages detected there where not given, complaint
    topics read there when `topics` says how) and return at once: calling the result waits
    for the answer, so the caller can store the batch before while the workers score."""
    whole = (texts, languages, model, topics)
    if workers <= 1 or len(texts) < MIN_POOLED_TEXTS:
        done = _score_share(whole)
        return lambda: done
    # Interleaved shares: a batch sorted by length or language still splits evenly.
    shares = [
        (texts[start::workers], languages[start::workers] if languages else None, model, topics)
        for start in range(workers)
    ]
    try:
        futures = [_pool(workers).submit(_score_share, share) for share in shares]
    except BrokenProcessPool:  # a worker died (killed, out of memory): score here instead
        _forget(workers)
        done = _score_share(whole)
        return lambda: done

    def answer() -> Scored:
        try:
            parts = [future.result() for future in futures]
        except BrokenProcessPool:
            _forget(workers)
            return _score_share(whole)
        merged = Scored([""] * len(texts), [None] * len(texts))  # type: ignore[list-item]
        merged.topics = [[] for _ in texts] if topics else None
        for start, part in enumerate(parts):
            merged.languages[start::workers] = part.languages
            merged.records[start::workers] = part.records
            if merged.topics is not None and part.topics is not None:
                merged.topics[start::workers] = part.topics
        return merged

    return answer


Share = tuple[list[str], list[str] | None, str, TopicRules | None]


def _score_share(share: Share) -> Scored:
    """In a worker (or here): score one share; a worker keeps its models between batches."""
    texts, languages, model, topics = share
    languages = languages or [detect_language(text) for text in texts]
    records = analyse(texts, languages, model)
    if topics is None:
        return Scored(languages, records)
    return Scored(languages, records, read_topics(texts, languages, records, model, topics))


def read_topics(
    texts: list[str], languages: list[str], records: list[Sentiment], model: str, rules: TopicRules
) -> list[list[str]]:
    """The complaint topics of scored texts, their clauses scored here by `model`."""

    def score(clauses: list[str], clause_languages: list[str]) -> list[Sentiment]:
        return analyse(clauses, clause_languages, model)

    return complaint_topics(texts, languages, records, score, rules.extra_terms, rules.threshold)


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
