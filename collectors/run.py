"""Run sources side by side, each in a worker process with a deadline; hand back every batch."""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from collectors.base import Batch, Collector, RateLimited, SourceError
from hundredfold.redaction import redact

# A worker asked to stop (SIGTERM) gets this long before it is killed outright.
STOP_GRACE_SECONDS = 1.0
# An error message is read by a person on one line: longer than this is noise (or a body).
MAX_ERROR_CHARS = 500


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


@dataclass
class _Running:
    """A job's worker process and the moment it must be done by."""

    job: Job
    process: BaseProcess
    deadline: float


def _context() -> Any:
    """fork where the platform has it: the worker inherits the collector (and a test's patched
    clock) without pickling; spawn elsewhere, which needs picklable collectors."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_jobs(jobs: list[Job], timeout: float = 300.0, workers: int = 4) -> Iterator[Event]:
    """Yield each job's batches as they come and one finishing event per job.

    At most `workers` jobs run at once, each in its own process. A job that raises ends with
    an error event; one that outlives `timeout` seconds is stopped (terminated, then killed)
    and ends with a timeout error. A parse that holds its interpreter cannot hold up the
    others: they run in interpreters of their own. Batches a job sent before it failed have
    already been handed back, so nothing fetched is lost.
    """
    context = _context()
    inbox: queue.Queue[tuple[str, Job, Any]] = queue.Queue()
    waiting = list(jobs)
    running: dict[str, _Running] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                job = waiting.pop(0)
                running[job.name] = _start(context, job, inbox, timeout)
            yield from _expire(running, timeout)
            if not running:
                continue
            soonest = min(entry.deadline for entry in running.values())
            try:
                what, job, payload = inbox.get(timeout=max(0.0, soonest - time.monotonic()))
            except queue.Empty:
                continue
            entry = running.get(job.name)
            if entry is None or entry.job is not job:
                continue  # a job that already timed out: its late output is ignored
            if what == "batch":
                yield Event(job, batch=payload)
            else:
                del running[job.name]
                entry.process.join(STOP_GRACE_SECONDS)
                error, retry_after = payload
                yield Event(job, finished=True, error=error, retry_after=retry_after)
    finally:
        for entry in running.values():  # the consumer stopped early, or raised
            _stop(entry.process)


def _start(context: Any, job: Job, inbox: queue.Queue, timeout: float) -> _Running:
    """Start a job's worker process and the thread relaying what it sends to the inbox."""
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_work, args=(job, sender), name=f"source-{job.name}", daemon=True
    )
    process.start()
    sender.close()  # the worker holds the only sending end: its exit is seen as end of file
    threading.Thread(
        target=_relay, args=(job, receiver, process, inbox), name=f"relay-{job.name}", daemon=True
    ).start()
    return _Running(job, process, time.monotonic() + timeout)


def _expire(running: dict[str, _Running], timeout: float) -> Iterator[Event]:
    """Stop the workers past their deadline; each ends its job with a timeout error."""
    now = time.monotonic()
    for name, entry in sorted(running.items()):
        if entry.deadline <= now:
            del running[name]
            _stop(entry.process)
            yield Event(entry.job, finished=True, error=f"timed out after {timeout:g}s")


def _stop(process: BaseProcess) -> None:
    """Terminate a worker, and kill it if it has not gone within the grace period."""
    if process.is_alive():
        process.terminate()
        process.join(STOP_GRACE_SECONDS)
    if process.is_alive():
        process.kill()
        process.join(STOP_GRACE_SECONDS)


def _relay(job: Job, receiver: Connection, process: BaseProcess, inbox: queue.Queue) -> None:
    """Read a worker's messages into the inbox; a worker that died unheard ends its job."""
    try:
        while True:
            what, payload = receiver.recv()
            inbox.put((what, job, payload))
            if what == "done":
                return
    except (EOFError, OSError):
        process.join(STOP_GRACE_SECONDS)
        reason = f"the worker stopped without finishing (exit code {process.exitcode})"
        inbox.put(("done", job, (reason, None)))
    finally:
        receiver.close()


def _work(job: Job, sender: Connection) -> None:
    """Run one job in its worker process, sending its batches and its end to the parent."""
    # The parent decides when a worker stops: its shutdown handlers are not the worker's.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end: tuple[str | None, float | None]
    try:
        for batch in job.collector.fetch(job.state):
            sender.send(("batch", batch))
    except RateLimited as error:
        end = (describe_error(error), error.retry_after)
    except Exception as error:  # any failure of one source is recorded, never raised
        end = (describe_error(error), None)
    else:
        end = (None, None)
    sender.send(("done", end))
    sender.close()


def describe_error(error: BaseException) -> str:
    """A one-line, printable message for a failed source (secrets hidden, length bounded)."""
    text = redact(" ".join(printable(str(error)).split())) or type(error).__name__
    if len(text) > MAX_ERROR_CHARS:
        text = text[: MAX_ERROR_CHARS - 1] + "…"
    return text if isinstance(error, SourceError) else f"{type(error).__name__}: {text}"


def printable(text: str) -> str:
    """`text` without control, unassigned or replacement characters (the marks of raw bytes)."""
    return "".join(
        ch if ch.isspace() or (unicodedata.category(ch)[0] != "C" and ch != "\ufffd") else " "
        for ch in text
    )
