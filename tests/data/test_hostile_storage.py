"""Storage against values and races no well-behaved source brings, on SQLite and PostgreSQL:
rows the database rejects are quarantined by bisection, absurd numbers are bounded, and two
workers storing the same posts count each of them new once."""

from __future__ import annotations

import math
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from collectors.base import Post
from data import ScoredPost, SourceSpec, save_batch, sync_sources
from data.bounds import MAX_COUNT, bounded_post, storable_text
from data.quarantine import quarantined, save_or_quarantine
from data.schema import cases, posts, reach_snapshots, sentiment_scores, sources
from sentiment.record import from_probs
from tests.data.rollup_recount import assert_rollups_equal_a_recount
from tests.data.test_posts import count

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "test-model-1")


def scored(post: Post) -> ScoredPost:
    """A complaint ready to store, as the pipeline hands it over."""
    return ScoredPost(post=post, language="en", sentiment=ANGRY, topics=["refund"])


@pytest.fixture
def source_id(engine) -> int:
    """The id of a configured source."""
    return sync_sources(engine, [SourceSpec("desk", "file", "email", {}, 900)])["desk"].id


def state_of(engine, source_id: int) -> dict:
    """The stored checkpoint of a source."""
    with engine.connect() as connection:
        return connection.execute(select(sources.c.state).where(sources.c.id == source_id)).one()[0]


def test_rows_no_driver_can_store_are_found_by_bisection_and_quarantined(engine, source_id):
    published = NOW - timedelta(hours=1)
    batch = [scored(Post(f"p{n}", f"refund {n} never came", published_at=published))
             for n in range(500)]  # fmt: skip
    bad = {3, 250, 499}
    for n in bad:  # a lone surrogate in an identity: unencodable in UTF-8, by either driver
        batch[n] = scored(Post(f"p{n}\ud800", f"refund {n} never came", published_at=published))
    counts, warnings = save_or_quarantine(engine, source_id, "email", batch, {"line": 500},
                                          now=NOW, threshold=0.5)  # fmt: skip
    assert (counts.posts_seen, counts.posts_new) == (500, 497)
    assert len(warnings) == 3 and all("kept in quarantine" in w for w in warnings)
    assert count(engine, posts) == count(engine, sentiment_scores) == count(engine, cases) == 497
    assert state_of(engine, source_id) == {"line": 500}
    kept = quarantined(engine, source_id)
    assert [row["external_id"] for row in kept] == [f"p{n}\ufffd" for n in sorted(bad)]
    assert all("surrogates not allowed" in row["reason"] for row in kept)
    assert [row["row"]["body"] for row in kept] == [f"refund {n} never came" for n in sorted(bad)]
    assert kept[0]["row"]["published_at"] == published.isoformat()
    # Met again (a re-run): nothing twice, and the quarantine notes when it was last seen.
    later = NOW + timedelta(minutes=15)
    again, _ = save_or_quarantine(engine, source_id, "email", batch, {"line": 500},
                                  now=later, threshold=0.5)  # fmt: skip
    assert (again.posts_new, again.posts_updated) == (0, 0)
    assert count(engine, posts) == 497
    kept = quarantined(engine, source_id)
    assert len(kept) == 3 and {(r["first_seen"], r["last_seen"]) for r in kept} == {(NOW, later)}
    assert_rollups_equal_a_recount(engine)


def test_a_database_that_is_away_fails_the_batch_and_quarantines_nothing(closed_port):
    away = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port}/none")
    batch = [scored(Post("p1", "refund never came"))]
    with pytest.raises(Exception) as raised:
        save_or_quarantine(away, 1, "email", batch, {}, now=NOW, threshold=0.5)
    assert type(raised.value).__name__ == "OperationalError"


def test_counts_past_any_column_and_non_finite_ratings_are_bounded(engine, source_id):
    post = Post("huge", "refund never came", score=-(2**70), comments=10**30, followers=2**63,
                rating=math.nan)  # fmt: skip
    other = Post("inf", "refund never came either", score=2**40, rating=math.inf)
    counts = save_batch(engine, source_id, "email", [scored(post), scored(other)], {},
                        now=NOW, threshold=0.5)  # fmt: skip
    assert counts.posts_new == 2
    with engine.connect() as connection:
        rows = connection.execute(
            select(posts.c.external_id, posts.c.score, posts.c.comments, posts.c.followers,
                   posts.c.rating).order_by(posts.c.id)
        ).all()  # fmt: skip
        snapshots = connection.execute(select(func.max(reach_snapshots.c.comments))).scalar()
    assert rows == [("huge", -MAX_COUNT, MAX_COUNT, MAX_COUNT, None),
                    ("inf", MAX_COUNT, None, None, None)]  # fmt: skip
    assert snapshots == MAX_COUNT


def test_text_a_column_cannot_hold_is_made_storable_and_an_identity_never_rewritten():
    post = Post("id\x00", "body", title="a\x00b", author="x" * 500, url="http://h/\ud800",
                body_html="<p>" + "y" * 200_000)  # fmt: skip
    bounded = bounded_post(post)
    assert (bounded.external_id, bounded.title, len(bounded.author)) == ("id\x00", "ab", 200)
    assert bounded.url == "http://h/\ufffd" and len(bounded.body_html or "") == 100_000
    assert storable_text("emoji 😀 stays") == "emoji 😀 stays"
    plain = Post("p", "nothing to change", score=3, rating=4.5)
    assert bounded_post(plain) is plain


def test_two_workers_storing_the_same_posts_count_each_one_new_once(engine, source_id):
    total = 2000
    batch = [scored(Post(f"p{n}", f"refund {n} never came", published_at=NOW - timedelta(hours=1)))
             for n in range(total)]  # fmt: skip
    results: list = []
    errors: list = []

    def store() -> None:
        try:
            results.append(save_batch(engine, source_id, "email", batch, {"n": total},
                                      now=NOW, threshold=0.5))  # fmt: skip
        except Exception as error:  # reported below, with the assertion that fails
            errors.append(error)

    workers = [threading.Thread(target=store) for _ in range(2)]
    with _both_read_first(engine, source_id):
        for worker in workers:
            worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert errors == []
    assert sum(result.posts_new for result in results) == total
    assert count(engine, posts) == count(engine, sentiment_scores) == count(engine, cases) == total
    assert_rollups_equal_a_recount(engine)


class _both_read_first:
    """On PostgreSQL, hold the first post's key in an open transaction until both workers
    wait on it: each has then looked for the posts, found none and tried to insert them,
    the race in which a count of attempted rows would report every post twice. (SQLite's
    writers take the database lock before reading: there is no such race to set up.)"""

    def __init__(self, engine, source_id: int):
        self.engine, self.source_id, self.connection = engine, source_id, None

    def __enter__(self):
        if self.engine.dialect.name == "postgresql":
            self.connection = self.engine.connect()
            self.connection.execute(
                posts.insert().values(source_id=self.source_id, external_id="p0", body="x",
                                      language="en", channel="email", published_at=NOW,
                                      collected_at=NOW, updated_at=NOW, content_hash="x")
            )  # fmt: skip
        return self

    def __exit__(self, *exc_info):
        if self.connection is None:
            return
        deadline = time.monotonic() + 120
        while _waiting_on_locks(self.engine) < 2:
            assert time.monotonic() < deadline, "the workers never reached the insert"
            time.sleep(0.05)
        self.connection.rollback()  # the held row goes away; the workers race on
        self.connection.close()


def _waiting_on_locks(engine) -> int:
    """PostgreSQL backends of this database waiting for a lock."""
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND wait_event_type = 'Lock'")
        ).scalar_one()  # fmt: skip
