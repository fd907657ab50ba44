"""run_jobs' worker processes: a source that holds its interpreter is stopped from outside."""

from __future__ import annotations

import os
import time

import feedparser

from collectors.base import Batch, Post
from collectors.http import fetch_url
from collectors.rss import RssCollector, RssSettings
from collectors.run import Job, describe_error, run_jobs
from tests.collectors.test_run import outcome

TIMEOUT = 3.0
# feedparser alone needs minutes for this author (its e-mail search is quadratic in it).
LONG_AUTHOR = "a" * 200_000


def feed_with_author(author: str) -> bytes:
    """An RSS 2.0 feed with one item written by `author`."""
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>f</title>"
        f"<item><guid>1</guid><title>Refund late</title><author>{author}</author>"
        "<description>Still no refund.</description></item></channel></rss>"
    ).encode()


class UnboundedParse:
    """Hands a served feed to feedparser as it came, with no bound on any field."""

    kind = "rss"
    default_channel = "forum"

    def __init__(self, url: str, first: Batch | None = None):
        self.url, self.first = url, first

    def fetch(self, state):
        if self.first is not None:
            yield self.first
        feedparser.parse(fetch_url(self.url).content)  # one C call: the interpreter is held
        yield Batch([], {})


def test_a_parse_holding_its_interpreter_is_stopped_and_the_feed_beside_it_delivers(
    feed_server, fixture_path
):
    frozen = feed_server.route("/frozen.xml", feed_with_author(LONG_AUTHOR))
    forum = feed_server.route("/forum.xml", fixture_path("rss2_forum_html_bodies.xml").read_bytes())
    jobs = [
        Job("frozen", UnboundedParse(frozen), {}),
        Job("forum", RssCollector(RssSettings(url=forum, retry_wait=0.0)), {}),
    ]
    started = time.monotonic()
    result = outcome(run_jobs(jobs, timeout=TIMEOUT))
    elapsed = time.monotonic() - started
    assert result["frozen"] == ([], f"timed out after {TIMEOUT:g}s")
    batches, error = result["forum"]
    assert error is None and [len(batch.posts) for batch in batches] == [3]
    assert elapsed < 60, f"the run waited {elapsed:.0f}s for a parse it should have stopped"


def test_batches_sent_before_the_worker_is_stopped_are_kept(feed_server):
    frozen = feed_server.route("/frozen.xml", feed_with_author(LONG_AUTHOR))
    first = Batch([Post(external_id="early", body="delivered before the freeze")], {"page": 1})
    result = outcome(run_jobs([Job("frozen", UnboundedParse(frozen, first), {})], timeout=TIMEOUT))
    batches, error = result["frozen"]
    assert error == f"timed out after {TIMEOUT:g}s"
    assert [post.external_id for batch in batches for post in batch.posts] == ["early"]
    assert batches[0].state == {"page": 1}


def test_a_queued_job_runs_once_a_frozen_one_is_stopped(feed_server, fixture_path):
    frozen = feed_server.route("/frozen.xml", feed_with_author(LONG_AUTHOR))
    forum = feed_server.route("/forum.xml", fixture_path("rss2_forum_html_bodies.xml").read_bytes())
    jobs = [
        Job("frozen", UnboundedParse(frozen), {}),
        Job("forum", RssCollector(RssSettings(url=forum, retry_wait=0.0)), {}),
    ]
    result = outcome(run_jobs(jobs, timeout=TIMEOUT, workers=1))
    assert result["frozen"][1] == f"timed out after {TIMEOUT:g}s"
    assert result["forum"][1] is None and len(result["forum"][0][0].posts) == 3


class DiesMidway:
    """A source whose process ends abruptly after its first batch (as if killed by the OS)."""

    kind = "file"
    default_channel = "review"

    def fetch(self, state):
        yield Batch([Post(external_id="1", body="kept")], {"rows_done": 1})
        os._exit(3)


def test_a_worker_that_dies_ends_its_job_with_its_exit_code_and_keeps_its_batches():
    result = outcome(run_jobs([Job("dies", DiesMidway(), {})], timeout=30))
    batches, error = result["dies"]
    assert [post.body for batch in batches for post in batch.posts] == ["kept"]
    assert error == "the worker stopped without finishing (exit code 3)"


class Unpicklable:
    """A source whose batch cannot cross to the parent process."""

    kind = "file"
    default_channel = "review"

    def fetch(self, state):
        yield Batch([], {"handle": lambda: None})


def test_a_batch_that_cannot_be_sent_ends_its_job_with_the_reason():
    [event] = list(run_jobs([Job("odd", Unpicklable(), {})], timeout=30))
    assert event.finished and event.error.startswith(("PicklingError", "AttributeError"))


def test_error_text_carries_no_raw_bytes_and_stays_short():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    message = describe_error(ValueError(png.decode("latin-1") + png.decode("utf-8", "replace")))
    assert message.isprintable() and "\ufffd" not in message
    assert len(message) <= 520
