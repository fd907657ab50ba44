"""Several `hundredfold collect` processes on one PostgreSQL database share the sources:
each due source is run by exactly one of them, and a killed one's sources pass to another."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data import connect
from data.schema import collection_runs, posts
from tests.conftest import _postgres_database
from tests.data.rollup_recount import assert_rollups_equal_a_recount

ITEMS = 20


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database (several processes need a server, not a file)."""
    yield from _postgres_database()


def feed(number: int) -> str:
    """An RSS feed of ITEMS complaints and praise, its guids unique to the feed."""
    published = datetime.now(UTC) - timedelta(hours=2)
    items = "".join(
        f"<item><guid>feed{number}-item{i}</guid><title>Order {number}-{i}</title>"
        f"<description>{'The refund never came, terrible' if i % 2 else 'Great service'}"
        f" (feed {number}, post {i})</description>"
        f"<pubDate>{format_datetime(published + timedelta(minutes=i))}</pubDate></item>"
        for i in range(ITEMS)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    )


def write_config(tmp_path: Path, url: str, feed_urls: list[str], **settings) -> Path:
    """A hundredfold.toml with one hourly rss source per feed URL."""
    lines = [f'database_url = "{url}"', 'model = "fast"']
    lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    for number, feed_url in enumerate(feed_urls):
        lines += ["[[source]]", 'kind = "rss"', f'name = "feed-{number}"', f'url = "{feed_url}"',
                  'every = "1h"', "retry_wait = 0.0"]  # fmt: skip
    path = tmp_path / "hundredfold.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_collector(tmp_path: Path) -> subprocess.Popen:
    """`hundredfold collect --json` (the due sources once) as its own process group."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUNDREDFOLD_")}
    return subprocess.Popen(["hundredfold", "collect", "--json"], cwd=tmp_path, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip


def finish(process: subprocess.Popen) -> dict:
    """The JSON line of a collector that exits cleanly."""
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def stored(url: str) -> tuple[int, int, list]:
    """(posts, distinct (source, external id) pairs, runs as (source, status))."""
    engine = connect(url)
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(posts)).scalar_one()
        pairs = select(posts.c.source_id, posts.c.external_id).distinct().subquery()
        distinct = connection.execute(select(func.count()).select_from(pairs)).scalar_one()
        runs = connection.execute(
            select(collection_runs.c.source_id, collection_runs.c.status)
        ).all()
    return total, distinct, runs


def test_four_collectors_run_fifty_sources_each_exactly_once(tmp_path, postgres_url, feed_server):
    urls = [feed_server.route(f"/feed/{n}.xml", feed(n), delay=0.2) for n in range(50)]
    write_config(tmp_path, postgres_url, urls)
    connect(postgres_url)  # the schema is in place before four processes race for it
    collectors = [start_collector(tmp_path) for _ in range(4)]
    reports = [finish(process) for process in collectors]
    for n in range(50):
        assert len(feed_server.requests_to(f"/feed/{n}.xml")) == 1, f"feed {n}"
    ran = [source["name"] for report in reports for source in report["sources"]]
    assert sorted(ran) == sorted(f"feed-{n}" for n in range(50))  # each by one collector
    assert sum(s["posts_new"] for report in reports for s in report["sources"]) == 50 * ITEMS
    total, distinct, runs = stored(postgres_url)
    assert total == distinct == 50 * ITEMS
    assert len(runs) == 50 and {status for _, status in runs} == {"ok"}
    assert_rollups_equal_a_recount(connect(postgres_url))
    # A second round right away: nothing is due, so nobody fetches anything.
    again = [finish(start_collector(tmp_path)) for _ in range(2)]
    assert [report["sources"] for report in again] == [[], []]
    assert len(feed_server.requests) == 50


def test_a_killed_collectors_sources_pass_to_another_and_nothing_is_lost(
    tmp_path, postgres_url, feed_server
):
    slow = {n: 30.0 if n % 2 else 0.0 for n in range(8)}
    urls = [feed_server.route(f"/feed/{n}.xml", feed(n), delay=slow[n]) for n in range(8)]
    write_config(tmp_path, postgres_url, urls, collector_lease="3s", source_timeout=120)
    connect(postgres_url)
    victim = start_collector(tmp_path)
    deadline = time.monotonic() + 120
    # Killed mid-run: it has stored some feeds and is waiting on a slow one.
    while time.monotonic() < deadline:
        total, _, _ = stored(postgres_url)
        if total >= ITEMS and any(feed_server.requests_to(f"/feed/{n}.xml") for n in (1, 3)):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the first collector never got going")
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    for n in range(8):
        feed_server.route(f"/feed/{n}.xml", feed(n))  # the slow feeds answer at once now
    before, _, _ = stored(postgres_url)
    # Its leases are not renewed any more: they run out, and another collector takes over.
    time.sleep(3.5)
    report = finish(start_collector(tmp_path))
    taken_over = {source["name"] for source in report["sources"]}
    assert {f"feed-{n}" for n in range(8) if slow[n]} <= taken_over
    total, distinct, runs = stored(postgres_url)
    assert total == distinct == 8 * ITEMS  # everything once: none lost, none twice
    assert before < total
    assert_rollups_equal_a_recount(connect(postgres_url))
    finished = [source_id for source_id, status in runs if status == "ok"]
    assert sorted(finished) == sorted(set(finished)) and len(finished) == 8  # one each
    statuses = [status for _, status in runs]
    # The killed collector's runs were closed by the one that took its sources over.
    assert "running" not in statuses and statuses.count("interrupted") >= 2
