"""Negative volume in a window and the same hours of earlier days, and why a window stands out."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, type_coerce

from data.schema import UtcDateTime, post_topics, posts
from data.window_counts import negative_posts, published_inside, window_index

DAY = timedelta(days=1)
# Texts read to explain a spike: enough for stable term counts, bounded whatever the volume.
WINDOW_TEXTS = 500
BASELINE_TEXTS = 2000
EXCERPT_CHARACTERS = 200
_LATIN_WORD = re.compile(r"[a-z][a-z0-9'-]{2,}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_STOPWORDS = frozenset(
    "the and for with this that was were are have has had not but you your our they them "
    "from what when will would can could just very too all any its it's been into than then "
    "there their about after again also only still even more most some such".split()
)


def windows_for(now: datetime, window: timedelta, days: int) -> list[tuple[datetime, datetime]]:
    """[start, end) of the current window, then the same hours on each of the `days` before.

    Each earlier day gives three windows (the same hours and the windows just before and
    after): seven samples alone make a mean and deviation too unsteady to judge by.
    """
    found = [(now - window, now)]
    for day in range(1, days + 1):
        for shift in (-1, 0, 1):
            end = now - day * DAY + shift * window
            found.append((end - window, end))
    return found


def _bucketed(windows: Sequence[tuple[datetime, datetime]], threshold: float):
    """A subquery of complaint ids with the index of the window each falls in."""
    joined, negative = negative_posts(threshold)
    return (
        select(posts.c.id, posts.c.channel, window_index(windows))
        .select_from(joined)
        .where(negative, published_inside(windows))
        .subquery()
    )


def history_start(connection: Connection) -> datetime | None:
    """When the oldest stored post was published (None when there are none)."""
    oldest = type_coerce(func.min(posts.c.published_at), UtcDateTime())
    return connection.execute(select(oldest)).scalar()


def topic_totals(
    connection: Connection, start: datetime, end: datetime, threshold: float
) -> dict[str, int]:
    """Complaints per topic published in [start, end)."""
    joined, negative = negative_posts(threshold)
    query = (
        select(post_topics.c.topic, func.count())
        .select_from(joined.join(post_topics, post_topics.c.post_id == posts.c.id))
        .where(negative, posts.c.published_at >= start, posts.c.published_at < end)
        .group_by(post_topics.c.topic)
    )
    return {topic: int(count) for topic, count in connection.execute(query)}


def topics_seen(
    connection: Connection, topics: Iterable[str], start: datetime, end: datetime, threshold: float
) -> set[str]:
    """Which of `topics` had a complaint published in [start, end): one short lookup each."""
    joined, negative = negative_posts(threshold)
    seen = set()
    for topic in topics:
        query = (
            select(posts.c.id)
            .select_from(joined.join(post_topics, post_topics.c.post_id == posts.c.id))
            .where(post_topics.c.topic == topic, negative, posts.c.published_at >= start,
                   posts.c.published_at < end)
            .limit(1)
        )  # fmt: skip
        if connection.execute(query).first() is not None:
            seen.add(topic)
    return seen


def baseline(counts: Sequence[int]) -> tuple[float, float]:
    """Mean and spread of earlier windows' counts; the spread never below Poisson noise (√mean)."""
    mean = sum(counts) / len(counts)
    deviation = math.sqrt(sum((count - mean) ** 2 for count in counts) / len(counts))
    return mean, max(deviation, math.sqrt(mean), 1.0)


def explain(
    connection: Connection,
    windows: Sequence[tuple[datetime, datetime]],
    threshold: float,
    topic: str | None = None,
) -> dict[str, Any]:
    """Top terms against the baseline, the three most-reached posts, and channels of the window."""
    inner = _bucketed(windows, threshold)
    if topic is not None:
        tagged = select(post_topics.c.post_id).where(post_topics.c.topic == topic)
        inner = select(inner).where(inner.c.id.in_(tagged)).subquery()
    text = posts.c.title + " " + posts.c.body

    def texts(current: bool, limit: int) -> list[str]:
        chosen = inner.c.bucket == 0 if current else inner.c.bucket > 0
        query = select(text).join(inner, inner.c.id == posts.c.id).where(chosen).limit(limit)
        return list(connection.execute(query).scalars())

    reach = func.coalesce(posts.c.score, 0) + func.coalesce(posts.c.comments, 0)
    top = connection.execute(
        select(posts.c.id, text.label("text"), posts.c.url, posts.c.channel, reach.label("reach"))
        .join(inner, inner.c.id == posts.c.id)
        .where(inner.c.bucket == 0)
        .order_by(reach.desc(), posts.c.published_at.desc(), posts.c.id)
        .limit(3)
    )
    channels = connection.execute(
        select(inner.c.channel, func.count())
        .where(inner.c.bucket == 0)
        .group_by(inner.c.channel)
        .order_by(func.count().desc(), inner.c.channel)
    )
    return {
        "terms": top_terms(
            texts(True, WINDOW_TEXTS), texts(False, BASELINE_TEXTS), len(windows) - 1
        ),
        "top_posts": [
            {
                "post_id": row.id,
                "text": row.text.strip()[:EXCERPT_CHARACTERS],
                "url": row.url,
                "channel": row.channel,
                "reach": int(row.reach),
            }
            for row in top
        ],  # fmt: skip
        "channels": {channel: int(count) for channel, count in channels},
    }


def terms_of(text: str) -> set[str]:
    """Words of Latin-script text and character pairs of Chinese text, lower-cased."""
    lowered = text.lower()
    terms = {word for word in _LATIN_WORD.findall(lowered) if word not in _STOPWORDS}
    for run in _CJK_RUN.findall(lowered):
        terms.update(run[index : index + 2] for index in range(len(run) - 1))
    return terms


def top_terms(
    window_texts: Iterable[str], baseline_texts: Iterable[str], baseline_days: int, limit: int = 8
) -> list[dict[str, Any]]:
    """Terms far more frequent in the window than in an average baseline window.

    Counted once per post (a post repeating a word is one voice), scored by how many window
    posts use the term over one plus its average per baseline window.
    """
    now = Counter(term for text in window_texts for term in terms_of(text))
    before = Counter(term for text in baseline_texts for term in terms_of(text))
    days = max(baseline_days, 1)
    scored = [
        (count / (1 + before[term] / days), count, term)
        for term, count in now.items()
        if count >= 2
    ]
    scored.sort(key=lambda entry: (-entry[0], -entry[1], entry[2]))
    return [
        {"term": term, "window": count, "baseline": round(before[term] / days, 2)}
        for ratio, count, term in scored[:limit]
        if ratio > 1
    ]
