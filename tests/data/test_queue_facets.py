"""The queue's filter values, read by loose index scans, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.cases import Actor, claim_case
from data.queue import queue_facets
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
