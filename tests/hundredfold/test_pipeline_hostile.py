"""What a hostile or broken source sends, through `collect` into both databases: dates no post
can have, values no column holds, a 260,000-character HTML body, a collector killed mid-run."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import func, select

from collectors.base import MAX_BODY_HTML_CHARS
from data import connect
from data.bounds import MAX_COUNT
from data.quarantine import quarantined
from data.schema import cases, collection_runs, posts, sentiment_scores, sources
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect
from tests.data.rollup_recount import assert_rollups_equal_a_recount

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
COMPLAINT = "worst purchase ever, broken on arrival, refund refused, awful"


def configure(database_url: str, sources: list[dict], **settings):
    """A Config from tables, as a hundredfold.toml would give (the fast model)."""
    table = {"database_url": database_url, "model": "fast", "source": sources, **settings}
    return config_from_table(table)


def run(config, engine):
    """One collection of every source at NOW; the single outcome."""
    [outcome] = collect(config, engine, now=lambda: NOW)
    return outcome


def stored(engine, *columns, where=None) -> list:
    """Rows of posts (the columns given), in id order."""
    query = select(*columns).order_by(posts.c.id)
    with engine.connect() as connection:
        return connection.execute(query if where is None else query.where(where)).all()


def count(engine, table) -> int:
    """Rows in a table."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def write_export(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """A review export (id, text, published_at) as a CSV file."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "published_at"])
        writer.writerows(rows)


def test_a_year_9999_row_among_two_thousand_stores_all_of_them_on_every_run(database_url, tmp_path):
    export = tmp_path / "reviews.csv"
    rows = [(f"r{n}", f"Order {n}: {COMPLAINT}", "2026-11-19T10:00:00+00:00") for n in range(2000)]
    rows[1234] = ("r1234", f"Order 1234: {COMPLAINT}", "9999-12-31T23:30:00+00:00")
    write_export(export, rows)
    config = configure(database_url, [{"kind": "file", "name": "shop", "path": str(export)}])
    engine = connect(database_url)
    first = run(config, engine)
    assert (first.status, first.error, first.counts.posts_new) == ("warning", None, 2000)
    assert first.warnings == [
        "post r1234: date 9999-12-31T23:30:00+00:00 is outside 1990-01-01..now+1d, "
        "stored as collected"
    ]
    [(published, estimated, given)] = stored(
        engine, posts.c.published_at, posts.c.published_at_estimated, posts.c.published_given,
        where=posts.c.external_id == "r1234",
    )  # fmt: skip
    assert (published, estimated, given) == (NOW, True, "9999-12-31T23:30:00+00:00")
    # Its case runs on the collection time's clock, not on one that would never run out.
    with engine.connect() as connection:
        due = connection.execute(
            select(cases.c.due_at).join(posts).where(posts.c.external_id == "r1234")
        ).scalar_one()
    assert due == NOW + timedelta(hours=6)
    again = run(config, engine)
    assert (again.status, again.counts.posts_new, again.counts.posts_seen) == ("ok", 0, 0)
    # The file read again from the top (its start changed: a BOM), every row seen again.
    export.write_bytes(b"\xef\xbb\xbf" + export.read_bytes())
    reread = run(config, engine)
    assert (reread.status, reread.counts.posts_seen, reread.counts.posts_new) == (
        "warning",
        2000,
        0,
    )
    assert reread.counts.posts_updated == 0
    assert count(engine, posts) == 2000
    assert stored(engine, posts.c.published_at, where=posts.c.external_id == "r1234")[0][0] == NOW
    assert_rollups_equal_a_recount(engine)


def at(day: int, hour: int) -> datetime:
    """A moment of November 2026, UTC."""
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_a_post_dated_2100_or_1970_is_stored_as_collected_and_its_case_due_in_hours(
    database_url, tmp_path
):
    export = tmp_path / "reviews.csv"
    write_export(export, [
        ("future", f"2100: {COMPLAINT}", "2100-01-01T00:00:00+00:00"),
        ("past", f"1970: {COMPLAINT}", "1970-01-01T00:00:00+00:00"),
        ("tomorrow", f"Tomorrow: {COMPLAINT}", "2026-11-21T07:00:00+00:00"),  # within a day
        ("fine", f"Yesterday: {COMPLAINT}", "2026-11-19T08:00:00+00:00"),
    ])  # fmt: skip
    config = configure(database_url, [{"kind": "file", "name": "shop", "path": str(export)}])
    engine = connect(database_url)
    outcome = run(config, engine)
    assert outcome.counts.posts_new == 4
    assert [warning.split(":")[0] for warning in outcome.warnings] == ["post future", "post past"]
    with engine.connect() as connection:
        found = connection.execute(
            select(
                posts.c.external_id, posts.c.published_at, posts.c.published_given, cases.c.due_at
            )
            .join(cases, cases.c.post_id == posts.c.id)
            .order_by(posts.c.id)
        ).all()
    assert found == [
        ("future", NOW, "2100-01-01T00:00:00+00:00", NOW + timedelta(hours=6)),
        ("past", NOW, "1970-01-01T00:00:00+00:00", NOW + timedelta(hours=6)),
        ("tomorrow", at(21, 7), None, at(21, 13)),  # within a day ahead: as given
        ("fine", at(19, 8), None, at(19, 14)),
    ]  # fmt: skip


def test_a_row_the_database_rejects_is_quarantined_and_the_rest_and_the_checkpoint_go_on(
    database_url, tmp_path
):
    export = tmp_path / "tickets.jsonl"
    lines = [{"id": f"t{n}", "text": f"Ticket {n}: {COMPLAINT}"} for n in range(40)]
    lines[21]["id"] = "nul\u0000id"  # an identity is never rewritten; PostgreSQL rejects it
    lines[30]["rating"] = "1e999"  # infinite: stored as no rating
    export.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    config = configure(database_url, [{"kind": "file", "name": "desk", "path": str(export)}])
    engine = connect(database_url)
    outcome = run(config, engine)
    # SQLite's text holds a NUL: there the row is simply stored.
    rejected = 1 if engine.dialect.name == "postgresql" else 0
    assert outcome.error is None
    assert (outcome.counts.posts_seen, outcome.counts.posts_new) == (40, 40 - rejected)
    assert [w for w in outcome.warnings if "quarantine" in w] == [
        "post 'nul\\x00id': not stored (DataError: PostgreSQL text fields cannot contain NUL "
        "(0x00) bytes), kept in quarantine"
    ][:rejected]
    assert count(engine, posts) == count(engine, sentiment_scores) == 40 - rejected
    with engine.connect() as connection:
        source = connection.execute(select(sources.c.id, sources.c.state)).one()
        ratings = dict(connection.execute(select(posts.c.external_id, posts.c.rating)).all())
    assert ratings["t30"] is None
    assert source.state["rows_done"] == 40  # the checkpoint went past the row kept apart
    kept = quarantined(engine, source.id)
    assert [(row["external_id"], row["row"]["body"]) for row in kept] == [
        ("nulid", f"Ticket 21: {COMPLAINT}")
    ][:rejected]
    assert all(row["row"]["external_id"] == "nul\\u0000id" for row in kept)  # NUL as text
    # A re-run from the top: nothing twice, in posts or in quarantine.
    export.write_bytes(b"\xef\xbb\xbf" + export.read_bytes())
    reread = run(config, engine)
    assert (reread.counts.posts_new, reread.error) == (0, None)
    assert count(engine, posts) == 40 - rejected
    assert len(quarantined(engine, source.id)) == rejected
    assert_rollups_equal_a_recount(engine)


def feed(items: list[str]) -> str:
    """An RSS 2.0 document with these <item> elements."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel><title>f</title>'
        f"{''.join(items)}</channel></rss>"
    )


def item(guid: str, description: str, published: datetime = NOW - timedelta(hours=1), **extra):
    """One <item>, its description given as CDATA (HTML)."""
    fields = "".join(f"<{name}>{value}</{name}>" for name, value in extra.items())
    return (
        f"<item><guid>{guid}</guid><pubDate>{format_datetime(published)}</pubDate>"
        f"<description><![CDATA[{description}]]></description>{fields}</item>"
    )


def test_a_huge_html_body_and_absurd_counts_are_bounded_before_storage(database_url, feed_server):
    huge = "<p>" + ("The refund never came, awful service. " * 6843) + "</p>"
    assert len(huge) >= 260_000
    body = feed([
        item("huge", huge),
        item("counted", f"<p>{COMPLAINT}</p>", **{"slash:comments": "99999999999999999999"}),
        item("negative", f"<p>{COMPLAINT}</p>", **{"slash:comments": "-5"}),
    ])  # fmt: skip
    url = feed_server.route("/forum.xml", body)
    source = {"kind": "rss", "name": "forum", "url": url, "retry_wait": 0.0}
    engine = connect(database_url)
    outcome = run(configure(database_url, [source]), engine)
    assert (outcome.status, outcome.error, outcome.counts.posts_new) == ("ok", None, 3)
    found = {
        row.external_id: row
        for row in stored(engine, posts.c.external_id, posts.c.body_html, posts.c.comments)
    }
    assert len(found["huge"].body_html) == MAX_BODY_HTML_CHARS
    assert found["huge"].body_html == huge[:MAX_BODY_HTML_CHARS]
    assert found["counted"].comments == MAX_COUNT
    assert found["negative"].comments == 0


def write_config(tmp_path: Path, database_url: str, feed_url: str) -> None:
    """A hundredfold.toml with one rss source and a short collector lease."""
    (tmp_path / "hundredfold.toml").write_text(
        f'database_url = "{database_url}"\nmodel = "fast"\ncollector_lease = "2s"\n'
        f'[[source]]\nkind = "rss"\nname = "forum"\nurl = "{feed_url}"\nretry_wait = 0.0\n',
        encoding="utf-8",
    )


def runs(engine) -> list[tuple[str, str | None]]:
    """(status, message) of every collection run, oldest first."""
    with engine.connect() as connection:
        query = select(collection_runs.c.status, collection_runs.c.message)
        return connection.execute(query.order_by(collection_runs.c.id)).all()


def test_a_run_left_running_by_a_killed_collector_is_closed_as_interrupted(
    database_url, tmp_path, feed_server
):
    body = feed([item("one", f"<p>{COMPLAINT}</p>")])
    url = feed_server.route("/slow.xml", body, delay=60.0)
    write_config(tmp_path, database_url, url)
    engine = connect(database_url)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUNDREDFOLD_")}
    victim = subprocess.Popen(["hundredfold", "collect"], cwd=tmp_path, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not (feed_server.requests_to("/slow.xml") and runs(engine)):
            assert time.monotonic() < deadline, "the collector never started its run"
            time.sleep(0.1)
    finally:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    assert [status for status, _ in runs(engine)] == ["running"]
    feed_server.route("/slow.xml", body)
    time.sleep(2.5)  # the killed collector's lease runs out
    config = configure(database_url, [{"kind": "rss", "name": "forum", "url": url,
                                       "retry_wait": 0.0}], collector_lease="2s")  # fmt: skip
    [outcome] = collect(config, engine)
    assert (outcome.status, outcome.counts.posts_new) == ("ok", 1)
    [(killed, message), (finished, _)] = runs(engine)
    assert (killed, finished) == ("interrupted", "ok")
    assert "stopped before this run ended" in message
    with engine.connect() as connection:
        ended = connection.execute(select(collection_runs.c.finished_at)).scalars().all()
    assert None not in ended
