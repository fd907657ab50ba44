"""Alert window counts read from the rollup and the posts near each window's ends equal a
plain count of the stored posts, wherever in the hour the evaluation falls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collectors.base import Post
from data import ScoredPost, connect
from data.alert_explain import windows_for
from data.schema import post_topics, posts, sentiment_scores
from data.window_counts import window_counts
from sentiment.record import from_probs
from tests.data.alert_history import ANGRY, NOW, burst_posts, everyday_posts, store

# An evaluation time off the hour, so its windows' ends fall inside hours.
EVALUATED = NOW + timedelta(minutes=41, seconds=17)


def edge_posts() -> list[ScoredPost]:
    """Complaints exactly on window ends and hour marks, with two topics, and scores on
    either side of the threshold: where a half-open interval or a >= goes wrong."""
    exactly = from_probs(0.5, 0.25, 0.25, "test-model-1")
    below = from_probs(0.4999, 0.25, 0.2501, "test-model-1")
    items = []
    for day in range(0, 4):
        for shift in (-2, -1, 0, 1):
            end = EVALUATED - timedelta(days=day, hours=-shift)
            for label, moment in (("end", end), ("hour", end.replace(minute=0, second=0)),
                                  ("before", end - timedelta(microseconds=1))):  # fmt: skip
                key = f"edge-{day}-{shift}-{label}"
                items.append(ScoredPost(Post(key, f"{key} 退款", published_at=moment), "zh",
                                        ANGRY, ["refund", "returns"]))  # fmt: skip
                items.append(ScoredPost(Post(f"{key}-exact", f"{key} 质量", published_at=moment),
                                        "zh", exactly, ["warranty"]))  # fmt: skip
                items.append(ScoredPost(Post(f"{key}-below", f"{key} 价格", published_at=moment),
                                        "zh", below, ["edge-below"]))  # fmt: skip
    return items


@pytest.fixture
def history(database_url):
    """Ten days of everyday complaints, a burst, and posts on the windows' edges."""
    engine = connect(database_url)
    later = NOW + timedelta(days=2)
    store(engine, everyday_posts(NOW - timedelta(days=10), NOW + timedelta(days=1)), later)
    store(engine, burst_posts(NOW - timedelta(minutes=50)), later)
    store(engine, edge_posts(), later)
    yield engine
    engine.dispose()


def plain_counts(engine, windows, threshold):
    """The oracle: every stored post's current score and topics, counted here."""
    with engine.connect() as connection:
        scored = connection.execute(
            select(posts.c.id, posts.c.published_at, sentiment_scores.c.p_negative)
            .join(sentiment_scores, sentiment_scores.c.post_id == posts.c.id)
            .where(sentiment_scores.c.is_current)
        ).all()
        tagged: dict[int, list[str]] = {}
        pairs = connection.execute(select(post_topics.c.post_id, post_topics.c.topic))
        for post_id, topic in pairs:
            tagged.setdefault(post_id, []).append(topic)
    brand = [0] * len(windows)
    topics: dict[str, list[int]] = {}
    for post_id, published, p_negative in scored:
        if p_negative < threshold:
            continue
        for index, (start, end) in enumerate(windows):
            if start <= published < end:
                brand[index] += 1
                for topic in tagged.get(post_id, []):
                    topics.setdefault(topic, [0] * len(windows))[index] += 1
    return brand, topics


@pytest.mark.parametrize("seconds", [0, 60, 1037, 1740, 1800, 1860, 2477, 3599])
@pytest.mark.parametrize("threshold", [0.5, 0.55])
def test_rollup_counts_equal_a_plain_count(history, seconds, threshold):
    now = NOW + timedelta(seconds=seconds)  # on the hour, then ever later in it
    for window in (timedelta(hours=1), timedelta(hours=2), timedelta(minutes=90)):
        windows = windows_for(now, window, 7)
        with history.connect() as connection:
            counted = window_counts(connection, windows, threshold)
        assert counted == plain_counts(history, windows, threshold), (now, window)


def test_edges_land_in_the_window_they_open(history):
    windows = windows_for(EVALUATED, timedelta(hours=1), 7)
    with history.connect() as connection:
        brand, topics = window_counts(connection, windows, 0.5)
    # Inside [EVALUATED - 1h, EVALUATED): the posts at its start, at the hour mark within it
    # and a microsecond before its end; not the ones at its end. At exactly the threshold a
    # post is a complaint, a hair below it is not.
    assert topics["refund"][0] == topics["returns"][0] == topics["warranty"][0] == 3
    assert "edge-below" not in topics
    assert brand[0] >= 6
    assert (brand, topics) == plain_counts(history, windows, 0.5)


def test_thresholds_between_rollup_steps_and_short_windows_count_the_posts(history):
    for threshold, window in ((0.52, timedelta(hours=1)), (0.5, timedelta(minutes=30))):
        windows = windows_for(EVALUATED, window, 7)
        with history.connect() as connection:
            counted = window_counts(connection, windows, threshold)
        assert counted == plain_counts(history, windows, threshold)
