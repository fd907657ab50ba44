"""The queue's order on SQLite and PostgreSQL: what can still be answered in time comes first,
then recent misses, backfill last and apart; search, topics and counts per lane."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.case_bulk import apply_to_cases
from data.cases import Actor, add_note, claim_case, reply_case
from data.queue import QueueFilter, lane_counts, ranked_cases
from data.schema import case_events
from sentiment.record import from_probs

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANA = Actor("ana")


@pytest.fixture
def engine(database_url):
    """A migrated database."""
    engine = connect(database_url)
    yield engine
    engine.dispose()


def store(engine, external_id: str, published: datetime, collected: datetime, p_negative=0.9,
          score=0, text="the refund never came", topics=("refund",)) -> None:  # fmt: skip
    """One complaint, published and collected at the given times."""
    source = sync_sources(engine, [SourceSpec("forum", "rss", "forum", {}, 900)])["forum"]
    rest = (1 - p_negative) / 2
    item = ScoredPost(
        Post(external_id, text, author=f"{external_id}-author", published_at=published,
             score=score),
        "en", from_probs(p_negative, rest, rest, "test-model-1"), list(topics),
    )  # fmt: skip
    save_batch(engine, source.id, "forum", [item], {}, now=collected, threshold=0.5)


def order(engine, **filters) -> list[str]:
    """Authors' case keys in the queue's order."""
    frame = ranked_cases(engine, QueueFilter(now=NOW, **filters))
    return [author.removesuffix("-author") for author in frame["author"]]


def test_a_case_due_in_an_hour_outranks_any_backfill_case_of_equal_weight(engine):
    store(engine, "due-soon", NOW - timedelta(hours=5), NOW - timedelta(hours=5))
    store(engine, "loud-backfill", NOW - timedelta(days=2), NOW, score=100_000)
    assert order(engine, view="all") == ["due-soon", "loud-backfill"]
    assert order(engine, view="next") == ["due-soon"]
    assert order(engine, view="backfill") == ["loud-backfill"]


def test_an_overdue_case_of_two_hours_outranks_one_thirty_days_overdue(engine):
    store(
        engine, "month-late", NOW - timedelta(days=30, hours=6), NOW - timedelta(days=30, hours=6)
    )
    store(engine, "two-hours-late", NOW - timedelta(hours=8), NOW - timedelta(hours=8))
    frame = ranked_cases(engine, QueueFilter(now=NOW, view="overdue", stale_after_seconds=10**8))
    assert list(frame["author"]) == ["two-hours-late-author", "month-late-author"]
    assert frame["priority"].iloc[0] > frame["priority"].iloc[1]


def test_in_time_cases_closest_to_breach_and_most_negative_lead(engine):
    store(engine, "due-in-5h", NOW - timedelta(hours=1), NOW - timedelta(hours=1))
    store(engine, "due-in-1h", NOW - timedelta(hours=5), NOW - timedelta(hours=5))
    store(engine, "mild-due-in-1h", NOW - timedelta(hours=5), NOW - timedelta(hours=5),
          p_negative=0.55)  # fmt: skip
    store(engine, "late", NOW - timedelta(hours=7), NOW - timedelta(hours=7), score=10**6)
    assert order(engine, view="next") == ["due-in-1h", "mild-due-in-1h", "due-in-5h", "late"]
    frame = ranked_cases(engine, QueueFilter(now=NOW, view="next"), sort="due")
    assert list(frame["lane"]) == ["answerable"] * 3 + ["overdue"]
    assert list(frame["time_left_s"][:3]) == [3600, 3600, 5 * 3600]


def test_overdue_longer_than_stale_after_joins_the_backfill_lane(engine):
    store(engine, "four-days-late", NOW - timedelta(days=4), NOW - timedelta(days=4))
    assert order(engine, view="next") == []
    assert order(engine, view="backfill") == ["four-days-late"]
    counts = lane_counts(engine, QueueFilter(now=NOW))
    assert counts == {"answerable": 0, "overdue": 0, "backfill": 1, "answered": 0}


def test_replied_cases_leave_the_lanes_to_answer(engine):
    store(engine, "replied", NOW - timedelta(hours=2), NOW - timedelta(hours=2))
    [case_id] = ranked_cases(engine, QueueFilter(now=NOW))["case_id"]
    claim_case(engine, int(case_id), ANA, NOW)
    reply_case(engine, int(case_id), ANA, NOW, "https://forum.example/t/1/2")
    everything = QueueFilter(now=NOW, view="all", statuses=("replied",))
    assert list(ranked_cases(engine, everything)["lane"]) == ["answered"]
    assert order(engine, view="next", statuses=("new", "claimed", "replied")) == []


def test_search_finds_words_in_the_text_or_author_and_escapes_wildcards(engine):
    store(engine, "parcel", NOW - timedelta(hours=1), NOW, text="my parcel is lost")
    store(engine, "refund", NOW - timedelta(hours=1), NOW, text="100% refund please")
    assert order(engine, view="all", search="PARCEL") == ["parcel"]
    assert order(engine, view="all", search="refund-author") == ["refund"]
    assert order(engine, view="all", search="0%") == ["refund"]
    assert order(engine, view="all", search="_") == []  # a LIKE wildcard, matched literally


def test_each_case_lists_its_topics(engine):
    store(engine, "two-topics", NOW - timedelta(hours=1), NOW, topics=("delivery", "refund"))
    frame = ranked_cases(engine, QueueFilter(now=NOW))
    assert list(frame["topics"]) == [["delivery", "refund"]]


def test_bulk_resolve_of_backfill_cases_writes_one_event_each_and_refuses_per_case(engine):
    for number in range(50):
        store(engine, f"old-{number}", NOW - timedelta(days=10), NOW)
    store(engine, "fresh", NOW - timedelta(hours=1), NOW)
    frame = ranked_cases(engine, QueueFilter(now=NOW, view="all"))
    backfill = [int(i) for i, lane in zip(frame["case_id"], frame["lane"], strict=True)
                if lane == "backfill"]  # fmt: skip
    fresh = int(frame["case_id"].iloc[0])
    outcome = apply_to_cases(engine, "resolve", [*backfill, fresh], ANA, NOW)
    assert len(outcome.done) == 50 and list(outcome.refused) == [fresh]
    assert "record the reply first" in outcome.refused[fresh]
    with engine.connect() as connection:
        events = connection.execute(case_events.select()).all()
    assert len(events) == 50
    assert {event.to_status for event in events} == {"resolved"}


def test_a_note_is_kept_in_the_history_without_changing_the_case(engine):
    store(engine, "noted", NOW - timedelta(hours=1), NOW)
    case_id = int(ranked_cases(engine, QueueFilter(now=NOW))["case_id"].iloc[0])
    add_note(engine, case_id, ANA, "customer called: wants a call back", NOW)
    with engine.connect() as connection:
        [event] = connection.execute(case_events.select()).all()
    assert (event.kind, event.from_status, event.to_status) == ("note", "new", "new")
    assert order(engine, view="next") == ["noted"]


@pytest.mark.parametrize(
    ("published_hours_ago", "collected_hours_ago", "lane"),
    [
        (5, 5, "answerable"),
        (6, 6, "answerable"),  # due right now: still in time
        (6 + 1 / 60, 6 + 1 / 60, "overdue"),
        (6 + 72, 6 + 72, "overdue"),  # overdue exactly stale_after
        (6 + 72 + 1 / 60, 6 + 72 + 1 / 60, "backfill"),
        (7, 0, "backfill"),  # late when it was collected
    ],
)
def test_a_case_lane_follows_its_deadline_and_its_backfill_flag(
    engine, published_hours_ago, collected_hours_ago, lane
):
    published = NOW - timedelta(hours=published_hours_ago)
    store(engine, "case", published, NOW - timedelta(hours=collected_hours_ago))
    assert list(ranked_cases(engine, QueueFilter(now=NOW, view="all"))["lane"]) == [lane]
    assert lane_counts(engine, QueueFilter(now=NOW))[lane] == 1
