"""Collection progress: live lines on a terminal, one summary line per source elsewhere."""

from __future__ import annotations

import io

from data import BatchCounts
from hundredfold.pipeline import SourceOutcome
from hundredfold.progress import CollectProgress


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as a console window does."""

    def isatty(self) -> bool:
        return True


def outcomes() -> list[SourceOutcome]:
    """A source seen mid-run, then finished; and a failed one."""
    running = SourceOutcome("forum", "rss", counts=BatchCounts(10, 4, 0))
    done = SourceOutcome("forum", "rss", status="ok", counts=BatchCounts(20, 9, 1))
    failed = SourceOutcome("shop", "file", status="error", error="no such file")
    return [running, done, failed]


def test_a_pipe_gets_one_summary_line_per_finished_source():
    stream = io.StringIO()
    with CollectProgress(stream=stream) as progress:
        for outcome in outcomes():
            progress(outcome)
    assert stream.getvalue().splitlines() == [
        "forum: ok, 9 new, 1 updated, 20 seen",
        "shop: error, 0 new, 0 updated, 0 seen — no such file",
    ]


def test_a_terminal_gets_live_lines_and_the_same_summaries():
    stream = Terminal()
    with CollectProgress(stream=stream) as progress:
        for outcome in outcomes():
            progress(outcome)
    text = stream.getvalue()
    assert "forum: ok, 9 new, 1 updated, 20 seen" in text
    assert "shop: error" in text and "no such file" in text


def test_json_mode_writes_nothing():
    stream = Terminal()
    with CollectProgress(quiet=True, stream=stream) as progress:
        for outcome in outcomes():
            progress(outcome)
    assert stream.getvalue() == ""
