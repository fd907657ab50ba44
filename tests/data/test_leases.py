"""Source leases on a real database: one holder per due source, expiry hands it over."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from data import SourceSpec, connect, sync_sources
from data.leases import lease_holders, lease_sources, release_lease, upkeep_turn
from data.schema import sources

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def _sources(engine, count: int) -> list[int]:
    """`count` stored rss sources, never run; their ids."""
    specs = [SourceSpec(f"feed-{n}", "rss", "forum", {"url": f"http://x/{n}"}, 900)
             for n in range(count)]  # fmt: skip
    return [record.id for record in sync_sources(engine, specs).values()]


def test_workers_asking_at_once_split_the_sources_between_them(database_url):
    engine = connect(database_url)
    ids = _sources(engine, 40)
    taken: dict[str, set[int]] = {}
    start = threading.Barrier(4)

    def worker(name: str) -> None:
        start.wait()
        taken[name] = lease_sources(engine, ids, now=NOW, lease=LEASE, due_only=True,
                                    worker=name)  # fmt: skip

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [source for held in taken.values() for source in held]
    assert sorted(every) == sorted(ids)  # each source once, none left out
    assert len(lease_holders(engine, NOW)) == 40


def test_a_held_lease_is_skipped_until_released_or_expired(database_url):
    engine = connect(database_url)
    ids = _sources(engine, 3)
    assert lease_sources(engine, ids, now=NOW, lease=LEASE, due_only=False, worker="a") == set(ids)
    assert lease_sources(engine, ids, now=NOW, lease=LEASE, due_only=False, worker="b") == set()
    release_lease(engine, ids[0], worker="b")  # not b's to release: nothing changes
    assert lease_sources(engine, ids, now=NOW, lease=LEASE, due_only=False, worker="b") == set()
    release_lease(engine, ids[0], worker="a")
    halfway = NOW + LEASE / 2
    assert lease_sources(engine, ids, now=halfway, lease=LEASE, due_only=False, worker="b") == {
        ids[0]
    }
    # a's other two were never given back (a was killed): they pass on when its lease runs out
    later = NOW + LEASE + timedelta(seconds=1)
    taken_over = lease_sources(engine, ids, now=later, lease=LEASE, due_only=False, worker="c")
    assert taken_over == set(ids[1:])
    assert sorted(lease_holders(engine, later).values()) == ["b", "c", "c"]


def test_only_due_sources_are_leased_when_asked_for_due_ones(database_url):
    engine = connect(database_url)
    ids = _sources(engine, 2)
    with engine.begin() as connection:
        connection.execute(
            update(sources).where(sources.c.id == ids[0]).values(next_due_at=NOW + LEASE)
        )
    assert lease_sources(engine, ids, now=NOW, lease=LEASE, due_only=True, worker="a") == {ids[1]}
    assert lease_sources(engine, ids, now=NOW, lease=LEASE, due_only=False, worker="b") == {ids[0]}


def test_alert_evaluation_is_one_collector_at_a_time(database_url):
    engine = connect(database_url)
    other = connect(database_url)
    with upkeep_turn(engine) as first:
        with upkeep_turn(other) as second:
            turns = (first, second)
    with upkeep_turn(other) as after:
        pass
    if engine.dialect.name == "postgresql":
        assert turns == (True, False)  # the second waits for the next round
    else:
        assert turns == (True, True)  # SQLite: the collector lock already made it one
    assert after is True
