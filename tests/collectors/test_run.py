"""run_jobs with real collectors: failures and timeouts end their own job and nothing else."""

from __future__ import annotations

import time
import zipfile

import pytest

from collectors.base import SourceError
from collectors.files import FileCollector, FileSettings
from collectors.rss import RssCollector, RssSettings
from collectors.run import Job, describe_error, run_jobs

# Generous against a loaded CI machine (the broken source's retries must finish within it);
# the slow server is far slower still, so a timeout stays the only way it can end.
RUNNER_TIMEOUT = 2.0
SLOW_SERVER_DELAY = 10.0


def rss_job(name, url, **settings):
    settings.setdefault("retry_wait", 0.0)
    return Job(name, RssCollector(RssSettings(url=url, **settings)), {})


def file_job(name, path, **settings):
    return Job(name, FileCollector(FileSettings(path=str(path), **settings)), {})


def outcome(events):
    """Per job name: the batches it delivered and the error it ended with."""
    result = {}
    for event in events:
        batches, _ = result.setdefault(event.job.name, ([], None))
        if event.batch is not None:
            batches.append(event.batch)
        if event.finished:
            result[event.job.name] = (batches, event.error)
    return result


@pytest.fixture
def mixed_jobs(feed_server, fixture_path):
    feed = fixture_path("rss2_forum_html_bodies.xml").read_bytes()
    return [
        rss_job("forum", feed_server.route("/feed.xml", feed, etag='"v1"')),
        rss_job("broken", feed_server.route("/500.xml", "oops", status=500)),
        rss_job("slow", feed_server.route("/slow.xml", feed, delay=SLOW_SERVER_DELAY)),
        file_job("jd", fixture_path("jd_export_bad_rows.csv"), columns={"text": "评价内容"}),
    ]


def test_failing_and_timed_out_jobs_end_with_errors_and_the_others_deliver(mixed_jobs):
    started = time.monotonic()
    events = list(run_jobs(mixed_jobs, timeout=RUNNER_TIMEOUT))
    elapsed = time.monotonic() - started
    result = outcome(events)
    assert set(result) == {"forum", "broken", "slow", "jd"}
    forum_batches, forum_error = result["forum"]
    assert forum_error is None
    assert [len(batch.posts) for batch in forum_batches] == [3]
    assert forum_batches[0].state["etag"] == '"v1"'
    jd_batches, jd_error = result["jd"]
    assert jd_error is None and sum(len(batch.posts) for batch in jd_batches) == 5
    assert result["broken"] == ([], "HTTP 500 Internal Server Error")
    assert result["slow"] == ([], f"timed out after {RUNNER_TIMEOUT:g}s")
    assert elapsed < SLOW_SERVER_DELAY / 2  # the slow server is not waited for


def test_every_job_finishes_exactly_once_and_after_its_batches(mixed_jobs):
    events = list(run_jobs(mixed_jobs, timeout=RUNNER_TIMEOUT))
    finished = [event.job.name for event in events if event.finished]
    assert sorted(finished) == ["broken", "forum", "jd", "slow"]
    for name in finished:
        kinds = ["end" if event.finished else "batch" for event in events if event.job.name == name]
        assert kinds[-1] == "end" and kinds.count("end") == 1


def test_batches_of_a_job_that_fails_later_are_handed_back_first(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("id,text\n" + "".join(f"{n},review {n}\n" for n in range(600)))

    class FailsAfterFirstBatch:
        """A real file collector whose file vanishes after its first batch."""

        kind = "file"
        default_channel = "review"

        def fetch(self, state):
            for batch in FileCollector(FileSettings(path=str(path))).fetch(state):
                yield batch
                raise SourceError("file vanished")

    events = list(run_jobs([Job("flaky", FailsAfterFirstBatch(), {})], timeout=5))
    assert [len(event.batch.posts) for event in events if event.batch] == [500]
    assert events[-1].finished and events[-1].error == "file vanished"


def test_damaged_worksheet_ends_its_job_with_the_path_and_the_parser_error(tmp_path):
    from openpyxl import Workbook

    sheet_path = tmp_path / "whole.xlsx"
    workbook = Workbook()
    workbook.active.append(["text"])
    workbook.active.append(["hello"])
    workbook.save(sheet_path)
    damaged = tmp_path / "damaged.xlsx"  # the zip is fine, the sheet's XML is cut short
    with zipfile.ZipFile(sheet_path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    [event] = list(run_jobs([file_job("damaged", damaged)], timeout=5))
    assert event.finished
    assert event.error.startswith(f"{damaged}: damaged worksheet (ParseError: ")


def test_errors_are_described_on_one_line():
    assert describe_error(ValueError("bad\n  value")) == "ValueError: bad value"
    assert describe_error(SourceError("HTTP 429 Too Many Requests")) == "HTTP 429 Too Many Requests"


def test_no_jobs_means_no_events():
    assert list(run_jobs([], timeout=1)) == []


def test_job_waiting_for_a_worker_is_not_held_up_by_a_timed_out_job(feed_server, fixture_path):
    # With one worker, the hung job's thread keeps the only slot after its timeout: the next
    # job cannot start until the hung source returns on its own (never, for a hung mount).
    slow = rss_job("slow", feed_server.route("/slow.xml", "<rss/>", delay=SLOW_SERVER_DELAY))
    good = file_job("jd", fixture_path("jd_export_bad_rows.csv"), columns={"text": "评价内容"})
    started = time.monotonic()
    result = outcome(run_jobs([slow, good], timeout=RUNNER_TIMEOUT, workers=1))
    elapsed = time.monotonic() - started
    assert result["slow"][1] == f"timed out after {RUNNER_TIMEOUT:g}s"
    assert result["jd"][1] is None
    assert elapsed < SLOW_SERVER_DELAY / 2, f"the queued job waited {elapsed:.1f}s"
