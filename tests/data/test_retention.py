"""Deleting posts for good, on SQLite and PostgreSQL: what goes with a post, what stays, and
the rollups equal to a recount of what remains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.alerts import AlertSettings, evaluate
from data.cases import Actor, add_note, claim_case, mark_not_a_complaint
from data.replies import begin_send, fail_send
from data.retention import (
    Erased,
    UnknownSource,
    count_author_posts,
    erase_author,
    purge_published_before,
)
from data.schema import (
    alerts,
    case_events,
    cases,
    corrections,
    post_history,
    post_topics,
    posts,
    reach_snapshots,
    sentiment_scores,
)
from data.schema_replies import reply_sends
from data.sla import SlaPolicy
from data.trends import View, headline
from sentiment.record import from_probs
from tests.data import alert_history as history
from tests.data.rollup_recount import assert_rollups_equal_a_recount, rollup_rows

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
CUTOFF = NOW - timedelta(days=30)
OLD = NOW - timedelta(days=40)  # old posts were collected minutes after they were published
ANGRY = from_probs(0.9, 0.05, 0.05, "test-model-1")
HAPPY = from_probs(0.05, 0.15, 0.8, "test-model-1")
ANA = Actor("ana")


def item(external_id: str, author: str, published_at: datetime, sentiment=ANGRY, **reach):
    """A post about a refund by `author`."""
    text = f"refund for order {external_id} never came"
    post = Post(external_id, text, author=author, published_at=published_at, **reach)
    return ScoredPost(post, "en", sentiment, ["refund"] if sentiment is ANGRY else [])


def store(engine, source: str, items: list[ScoredPost], collected_at: datetime) -> None:
    """Store a batch of one source as the pipeline does."""
    specs = [SourceSpec("forum", "rss", "forum", {}, 900),
             SourceSpec("shop", "file", "review", {}, 900)]  # fmt: skip
    record = sync_sources(engine, specs)[source]
    save_batch(engine, record.id, record.channel, items, {}, now=collected_at, threshold=0.5)


def case_of(engine, external_id: str) -> int:
    """The case id of a stored post."""
    with engine.connect() as connection:
        query = select(cases.c.id).join(posts).where(posts.c.external_id == external_id)
        return connection.execute(query).scalar_one()


def evaluate_alerts(engine, at: datetime) -> None:
    """One alert evaluation, as the pipeline runs it after a collection."""
    evaluate(engine, at, AlertSettings(), threshold=0.5, sla=SlaPolicy(6),
             silent_after=timedelta(days=365))  # fmt: skip


@pytest.fixture
def engine(database_url):
    """Old posts (40 days) worked, edited, gone viral and alerted on; young ones (a day) too."""
    engine = connect(database_url)
    young = NOW - timedelta(days=1)
    store(engine, "forum", [item("old-1", "mia", OLD, score=5), item("old-2", "leo", OLD),
                            item("old-3", "mia", OLD + timedelta(minutes=5), HAPPY)],
          OLD + timedelta(minutes=10))  # fmt: skip
    store(engine, "forum", [item("old-1", "mia", OLD, score=400)], OLD + timedelta(minutes=40))
    edited = ScoredPost(Post("old-2", "refund still missing", author="leo", published_at=OLD),
                        "en", ANGRY, ["refund"])  # fmt: skip
    store(engine, "forum", [edited], OLD + timedelta(minutes=50))
    store(engine, "shop", [item("old-9", "mia", OLD)], OLD + timedelta(minutes=10))
    evaluate_alerts(engine, OLD + timedelta(minutes=55))  # old-1 gains reach fast: viral
    first = case_of(engine, "old-1")
    claim_case(engine, first, ANA, OLD + timedelta(hours=1))
    add_note(engine, first, ANA, "asked the warehouse", OLD + timedelta(hours=1))
    begin_send(engine, first, ANA, "draft-1", "rss", "sorry", OLD + timedelta(hours=2))
    fail_send(engine, first, "draft-1", ANA, "forum down", OLD + timedelta(hours=2))
    mark_not_a_complaint(engine, case_of(engine, "old-2"), ANA, OLD + timedelta(hours=1))
    evaluate_alerts(engine, OLD + timedelta(hours=8))  # old-1 and old-9 overdue
    store(engine, "forum", [item("young-1", "mia", young), item("young-2", "leo", young, HAPPY)],
          young + timedelta(minutes=5))  # fmt: skip
    store(engine, "shop", [item("young-9", "mia", young)], young + timedelta(minutes=5))
    claim_case(engine, case_of(engine, "young-1"), ANA, young + timedelta(hours=1))
    evaluate_alerts(engine, young + timedelta(hours=8))  # young-1 and young-9 overdue too
    yield engine
    engine.dispose()


def count(engine, table) -> int:
    """Rows in a table."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def external_ids(engine) -> list[str]:
    """External ids of the stored posts, sorted."""
    with engine.connect() as connection:
        return sorted(connection.execute(select(posts.c.external_id)).scalars())


def orphans(engine) -> dict[str, int]:
    """Rows anywhere that point at a post or case no longer stored."""
    with engine.connect() as connection:
        post_ids = select(posts.c.id)
        case_ids = select(cases.c.id)
        found = {
            table.name: connection.execute(
                select(func.count()).where(table.c.post_id.not_in(post_ids))
            ).scalar_one()
            for table in (cases, post_history, post_topics, sentiment_scores, reach_snapshots,
                          corrections)
        }  # fmt: skip
        for table in (case_events, reply_sends):
            query = select(func.count()).where(table.c.case_id.not_in(case_ids))
            found[table.name] = connection.execute(query).scalar_one()
        stored_posts = set(connection.execute(post_ids).scalars())
        stored_cases = set(connection.execute(case_ids).scalars())
        found["alerts"] = 0
        for details in connection.execute(select(alerts.c.details)).scalars():
            named = {post["post_id"] for post in details.get("top_posts", [])}
            found["alerts"] += bool(
                details.get("post_id") not in stored_posts | {None}
                or details.get("case_id") not in stored_cases | {None}
                or named - stored_posts
            )
    return found


def alert_details(engine, kind: str) -> list[dict]:
    """The details of every alert of a kind, oldest first."""
    with engine.connect() as connection:
        query = select(alerts.c.details).where(alerts.c.kind == kind).order_by(alerts.c.id)
        return list(connection.execute(query).scalars())


def test_purge_deletes_old_posts_with_everything_hanging_off_them(engine):
    young_events = count(engine, case_events) - 4  # claim, note, failed send, not a complaint
    erased = purge_published_before(engine, CUTOFF)
    assert erased == Erased(posts=4, edits=1, cases=3, case_events=4, corrections=1,
                            reply_sends=1, alerts_cleared=3)  # fmt: skip
    assert external_ids(engine) == ["young-1", "young-2", "young-9"]
    assert (count(engine, cases), count(engine, case_events)) == (2, young_events)
    assert set(orphans(engine).values()) == {0}
    assert headline(engine, View(None, None)).posts == 3
    assert_rollups_equal_a_recount(engine)


def test_alerts_are_kept_without_the_deleted_posts_text_or_reference(engine):
    purge_published_before(engine, CUTOFF)
    [viral] = alert_details(engine, "viral")
    assert (viral["post_id"], "text" in viral, "url" in viral) == (None, False, False)
    # One overdue alert per channel, each listing its cases: the deleted ones are gone from it.
    overdue = alert_details(engine, "overdue")
    assert sorted(details["channel"] for details in overdue) == ["forum", "review"]
    listed = [case for details in overdue for case in details["cases"]]
    young = {case_of(engine, "young-1"), case_of(engine, "young-9")}
    assert {case["case_id"] for case in listed} == young
    assert all("refund for order young" in case["text"] for case in listed)
    assert all("order old" not in str(details) for details in overdue)


def test_a_second_purge_finds_nothing_and_changes_nothing(engine):
    purge_published_before(engine, CUTOFF)
    rollups = rollup_rows(engine)
    assert purge_published_before(engine, CUTOFF) == Erased()
    assert rollup_rows(engine) == rollups
    assert external_ids(engine) == ["young-1", "young-2", "young-9"]


def test_a_purge_in_small_chunks_ends_where_one_chunk_does(engine):
    erased = purge_published_before(engine, CUTOFF, chunk=1)
    assert (erased.posts, erased.cases, erased.case_events) == (4, 3, 4)
    assert external_ids(engine) == ["young-1", "young-2", "young-9"]
    assert set(orphans(engine).values()) == {0}
    assert_rollups_equal_a_recount(engine)


def test_a_purge_of_an_hour_shared_with_a_kept_post_recounts_it(engine):
    # old-3 sits five minutes after the other old posts, in their hour: a cutoff between.
    erased = purge_published_before(engine, OLD + timedelta(minutes=1))
    assert erased.posts == 3
    assert "old-3" in external_ids(engine)
    assert headline(engine, View(None, OLD + timedelta(days=1))).posts == 1
    assert_rollups_equal_a_recount(engine)


def test_forget_removes_only_that_author_in_that_source(engine):
    assert count_author_posts(engine, "forum", "mia") == 3
    erased = erase_author(engine, "forum", "mia")
    assert (erased.posts, erased.cases, erased.case_events, erased.reply_sends) == (3, 2, 4, 1)
    assert external_ids(engine) == ["old-2", "old-9", "young-2", "young-9"]
    assert count_author_posts(engine, "forum", "mia") == 0
    assert count_author_posts(engine, "shop", "mia") == 2  # the same name elsewhere is kept
    assert set(orphans(engine).values()) == {0}
    assert_rollups_equal_a_recount(engine)
    assert erase_author(engine, "forum", "mia") == Erased()


def test_forget_matches_the_author_exactly(engine):
    assert erase_author(engine, "forum", "MIA").posts == 0
    assert erase_author(engine, "forum", "mi").posts == 0
    assert len(external_ids(engine)) == 7


def test_forget_in_an_unknown_source_says_which_there_are(engine):
    with pytest.raises(UnknownSource, match=r"no source named 'reddit' \(sources: forum, shop\)"):
        erase_author(engine, "reddit", "mia")


def test_forget_drops_the_author_from_the_posts_explaining_a_spike(database_url):
    engine = connect(database_url)
    history.store(engine, history.everyday_posts(NOW - timedelta(days=10), NOW), NOW)
    loud = Post("mia-1", f"{history.BURST_TEXTS[0]} (mia)", author="mia",
                published_at=NOW - timedelta(minutes=30), score=1000)  # fmt: skip
    burst = [
        *history.burst_posts(NOW - timedelta(minutes=50)),
        ScoredPost(loud, "zh", ANGRY, ["delivery"]),
    ]
    history.store(engine, burst, NOW)
    evaluate_alerts(engine, NOW)
    [before] = alert_details(engine, "spike")
    assert before["top_posts"][0]["text"].endswith("(mia)")
    assert erase_author(engine, "forum", "mia").alerts_cleared == 1
    [after] = alert_details(engine, "spike")
    assert after["top_posts"] == before["top_posts"][1:]
    assert {key: value for key, value in after.items() if key != "top_posts"} == {
        key: value for key, value in before.items() if key != "top_posts"
    }
    engine.dispose()
