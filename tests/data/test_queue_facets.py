"""The queue's filters and the values they offer (loose index scans), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.cases import Actor, claim_case
from data.queue import QueueFilter, count_cases, queue_cases, queue_facets
from sentiment.record import from_probs

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "m")


def test_facets_are_the_distinct_values_present(database_url):
    engine = connect(database_url)
    assert queue_facets(engine) == {"channels": [], "languages": [], "topics": [],
                                    "assignees": []}  # fmt: skip
    sources = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900),
                                    SourceSpec("r", "file", "review", {}, 900)])  # fmt: skip
    languages = ["zh", "en", "ja", "en", "zh", "zh"]
    topics = [["refund"], ["delivery", "refund"], [], ["price"], ["refund"], []]
    for name, channel in (("f", "forum"), ("r", "review")):
        items = [
            ScoredPost(Post(f"{name}{n}", f"complaint {n}", published_at=NOW - timedelta(hours=n)),
                       language, ANGRY, topic)
            for n, (language, topic) in enumerate(zip(languages, topics, strict=True))
        ]  # fmt: skip
        save_batch(engine, sources[name].id, channel, items, {}, now=NOW, threshold=0.5)
    for case_id, name in ((1, "bo"), (2, "ana"), (3, "bo")):
        claim_case(engine, case_id, Actor(name), NOW)
    assert queue_facets(engine) == {
        "channels": ["forum", "review"],
        "languages": ["en", "ja", "zh"],
        "topics": ["delivery", "price", "refund"],
        "assignees": ["ana", "bo"],
    }
    engine.dispose()


def test_topic_filter_keeps_the_cases_carrying_any_chosen_topic(database_url):
    engine = connect(database_url)
    source = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900)])["f"]
    topics = [["refund"], ["delivery", "refund"], [], ["price"], ["delivery"]]
    items = [ScoredPost(Post(f"p{n}", f"complaint {n}", published_at=NOW), "en", ANGRY, topic)
             for n, topic in enumerate(topics)]  # fmt: skip
    save_batch(engine, source.id, "forum", items, {}, now=NOW, threshold=0.5)
    for chosen, expected in (
        (("refund",), {"p0", "p1"}),
        (("refund", "price"), {"p0", "p1", "p3"}),
    ):
        narrowed = QueueFilter(topics=chosen)
        found = queue_cases(engine, narrowed)
        assert count_cases(engine, narrowed) == len(found) == len(expected)
        assert set(found["body"].str.replace("complaint ", "p")) == expected
    engine.dispose()
