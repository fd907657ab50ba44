"""Run sources side by side with a deadline each; hand back every batch as it arrives."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from collectors.base import Batch, Collector, RateLimited, SourceError
from hundredfold.redaction import redact


@dataclass(frozen=True)
class Job:
    """One source to run now: its name, its collector and the checkpoint to resume from."""

    name: str
    collector: Collector
    state: Mapping[str, Any]


@dataclass(frozen=True)
class Event:
    """A batch from a job, or the job's end (with the error that ended it, if any)."""

    job: Job
    batch: Batch | None = None
    finished: bool = False
    error: str | None = None
    retry_after: float | None = None  # seconds the source asked us to wait (rate limits)


def run_jobs(jobs: list[Job], timeout: float = 300.0, workers: int = 4) -> Iterator[Event]:
    """Yield each job's batches as they come and one finishing event per job.

    At most `workers` jobs run at once. A job that raises or outlives `timeout` seconds ends
    with an error event and frees its place at once (its thread is abandoned: a hung read
    cannot hold up the jobs behind it). Batches a job yielded before it failed have already
    been handed back, so nothing fetched is lost.
    """
    inbox: queue.Queue[tuple[str, Job, Any]] = queue.Queue()
    waiting = list(jobs)
    deadlines: dict[str, tuple[float, Job]] = {}
    while waiting or deadlines:
        while waiting and len(deadlines) < workers:
            job = waiting.pop(0)
            deadlines[job.name] = (time.monotonic() + timeout, job)
            threading.Thread(
                target=_work, args=(job, inbox), name=f"source-{job.name}", daemon=True
            ).start()
        soonest = min(deadline for deadline, _ in deadlines.values())
        try:
            what, job, payload = inbox.get(timeout=max(0.0, soonest - time.monotonic()))
        except queue.Empty:
            now = time.monotonic()
            for name, (deadline, late) in sorted(deadlines.items()):
                if deadline <= now:
                    del deadlines[name]
                    yield Event(late, finished=True, error=f"timed out after {timeout:g}s")
            continue
        if job.name not in deadlines:
            continue  # a job that already timed out: its late output is ignored
        if what == "batch":
            yield Event(job, batch=payload)
        else:
            del deadlines[job.name]
            error, retry_after = payload
            yield Event(job, finished=True, error=error, retry_after=retry_after)


def _work(job: Job, inbox: queue.Queue) -> None:
    """Run one job in its own thread, posting its batches and its end to the inbox."""
    try:
        for batch in job.collector.fetch(job.state):
            inbox.put(("batch", job, batch))
    except RateLimited as error:
        inbox.put(("done", job, (describe_error(error), error.retry_after)))
    except Exception as error:  # any failure of one source is recorded, never raised
        inbox.put(("done", job, (describe_error(error), None)))
    else:
        inbox.put(("done", job, (None, None)))


def describe_error(error: BaseException) -> str:
    """A one-line message for a failed source (secrets hidden): the message alone for ours."""
    text = redact(" ".join(str(error).split())) or type(error).__name__
    return text if isinstance(error, SourceError) else f"{type(error).__name__}: {text}"
