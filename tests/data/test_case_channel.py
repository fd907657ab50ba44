"""Each case carries its post's channel: set when collected, when a rescore opens it, and by
the migration for cases opened before; the overdue alert groups by it without reading posts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select, text

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.alerts import AlertSettings, evaluate, list_alerts
from data.engine import upgrade
from data.rescore import store_rescored
from data.schema import cases, posts
from data.sla import SlaPolicy
from tests.data.alert_history import ANGRY, NOW
from tests.data.old_schema import engine_at

CHANNELS = {"shop": "review", "board": "forum", "feed": "social"}


def _sources(engine):
    """One source per channel."""
    specs = [SourceSpec(name, "rss", channel, {}, 900) for name, channel in CHANNELS.items()]
    return sync_sources(engine, specs)


def _complaints(name: str, count: int, published) -> list[ScoredPost]:
    """`count` angry posts of one source, published a minute apart up to `published`."""
    return [
        ScoredPost(Post(f"{name}{n}", f"{name} 退款第{n}次没到账",
                        published_at=published - timedelta(minutes=n)), "zh", ANGRY)
        for n in range(count)
    ]  # fmt: skip


def _case_channels(engine) -> list[tuple[str, str]]:
    """(case channel, its post's channel) for every case."""
    query = select(cases.c.channel, posts.c.channel).join(posts, posts.c.id == cases.c.post_id)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def test_collected_cases_carry_their_channel_and_overdue_alerts_group_by_it(database_url):
    engine = connect(database_url)
    sources = _sources(engine)
    counts = {"shop": 3, "board": 2, "feed": 1}
    for name, count in counts.items():
        save_batch(engine, sources[name].id, CHANNELS[name],
                   _complaints(name, count, NOW - timedelta(hours=1)), {}, now=NOW,
                   threshold=0.5)  # fmt: skip
    pairs = _case_channels(engine)
    assert len(pairs) == 6 and all(case == post for case, post in pairs)
    later = NOW + timedelta(hours=6)
    evaluate(engine, later, AlertSettings(), threshold=0.5, sla=SlaPolicy(6),
             silent_after=timedelta(days=30), routes={})  # fmt: skip
    overdue = {a["details"]["channel"]: a for a in list_alerts(engine, later)
               if a["kind"] == "overdue"}  # fmt: skip
    assert {ch: a["details"]["count"] for ch, a in overdue.items()} == {
        "review": 3, "forum": 2, "social": 1}  # fmt: skip
    assert {c["channel"] for c in overdue["review"]["details"]["cases"]} == {"review"}
    engine.dispose()


def test_cases_a_rescore_opens_across_sources_get_each_posts_channel(database_url):
    engine = connect(database_url)
    sources = _sources(engine)
    stored = []
    for name in CHANNELS:
        items = _complaints(name, 2, NOW - timedelta(hours=1))
        # Collected with a threshold nothing reaches: no cases yet.
        save_batch(engine, sources[name].id, CHANNELS[name], items, {}, now=NOW, threshold=1.1)
        stored.extend(items)
    assert _case_channels(engine) == []
    with engine.connect() as connection:
        ids = {key: id_ for key, id_ in connection.execute(select(posts.c.external_id, posts.c.id))}
    store_rescored(engine, [(ids[i.post.external_id], i) for i in stored], NOW, threshold=0.5)
    pairs = _case_channels(engine)
    assert sorted(case for case, _ in pairs) == ["forum", "forum", "review", "review",
                                                   "social", "social"]  # fmt: skip
    assert all(case == post for case, post in pairs)
    engine.dispose()


def test_the_migration_fills_the_channel_of_cases_opened_before_it(database_url):
    engine = engine_at(database_url, "0015")
    sources = _sources(engine)
    with engine.begin() as connection:
        for n, name in enumerate(CHANNELS):
            post_id = connection.execute(
                posts.insert().returning(posts.c.id),
                {"source_id": sources[name].id, "external_id": f"old{n}", "body": "退款",
                 "language": "zh", "channel": CHANNELS[name], "published_at": NOW,
                 "collected_at": NOW, "updated_at": NOW, "content_hash": f"h{n}"},
            ).scalar_one()  # fmt: skip
            # As 0015 knew the table: no channel column yet.
            connection.execute(
                text("INSERT INTO cases (post_id, status, opened_at, updated_at, due_at, backfill)"
                     " VALUES (:post, 'new', :now, :now, :now, false)"),
                {"post": post_id, "now": NOW},
            )  # fmt: skip
    upgrade(engine)
    pairs = _case_channels(engine)
    assert sorted(case for case, _ in pairs) == ["forum", "review", "social"]
    assert all(case == post for case, post in pairs)
    engine.dispose()


def test_sqlite_reads_waiting_cases_from_their_own_index(sqlite_url):
    engine = connect(sqlite_url)
    sent: list[tuple[str, object]] = []

    def record(_connection, _cursor, statement, params, _context, _many):
        sent.append((statement, params))

    event.listen(engine, "before_cursor_execute", record)
    evaluate(engine, NOW, AlertSettings(), threshold=0.5, sla=SlaPolicy(6),
             silent_after=timedelta(days=30), routes={})  # fmt: skip
    # The overdue and SLA-warning rules' statements, as they were sent, planned again.
    waiting = [(s, p) for s, p in sent if s.startswith("SELECT cases.id")
               and "cases.first_reply_at IS NULL" in s]  # fmt: skip
    assert len(waiting) == 2
    for statement, params in waiting:
        with engine.connect() as connection:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
        details = " ".join(str(row[-1]) for row in plan)
        assert "cases USING INDEX ix_cases_waiting_due" in details, details
        assert "TEMP B-TREE" not in details, details
    engine.dispose()
