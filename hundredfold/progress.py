"""Progress of a collection run: live per-source lines on a terminal, a summary line otherwise."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from hundredfold.pipeline import SourceOutcome


def summary(outcome: SourceOutcome) -> str:
    """One line for a finished source: status, counts and the first problem."""
    counts = outcome.counts
    line = (
        f"{outcome.name}: {outcome.status}, {counts.posts_new} new, "
        f"{counts.posts_updated} updated, {counts.posts_seen} seen"
    )
    if outcome.error:
        line += f" — {outcome.error}"
    elif outcome.warnings:
        line += f" — {len(outcome.warnings)} warning(s): {outcome.warnings[0]}"
    return line


class CollectProgress:
    """Called with each source's outcome as batches arrive and when the source finishes.

    On a terminal each running source has a live line (spinner, posts so far, time); in a
    pipe or a cron job only the summary line of each finished source is written. Quiet
    (for --json) writes nothing: stdout then carries only the JSON document.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> CollectProgress:
        if self.live:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                TextColumn("{task.fields[detail]}"),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self.progress.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, outcome: SourceOutcome) -> None:
        if self.quiet:
            return
        finished = outcome.status != "running"
        if self.progress is not None:
            if outcome.name not in self.tasks:
                self.tasks[outcome.name] = self.progress.add_task(escape(outcome.name), detail="")
            detail = f"{outcome.counts.posts_new} new of {outcome.counts.posts_seen} seen"
            self.progress.update(self.tasks[outcome.name], detail=detail, visible=not finished)
            if finished:
                # Plain text: a message may hold "[...]", which is not rich markup.
                self.progress.console.print(summary(outcome), markup=False, highlight=False)
        elif finished:
            print(summary(outcome), file=self.stream, flush=True)
