"""A generated history for alert tests: ten days of everyday complaints, optional bursts."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from collectors.base import Post
from data import ScoredPost, SourceSpec, save_batch, sync_sources
from sentiment.record import from_probs

# Evaluations happen around NOW; the history starts ten days before it.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "test-model-1")
HAPPY = from_probs(0.05, 0.15, 0.8, "test-model-1")
EVERYDAY = {
    "quality": ["扫地机用了一周就坏了，质量太差", "the vacuum broke after a week, poor quality"],
    "service": ["客服态度很差，问了三次都不回", "support agent was rude and never answered"],
    "price": ["刚买就降价了，价格不公道", "price dropped right after I bought it"],
    "delivery": ["快递有点慢，等了好几天", "shipping was slow this time"],
}
BURST_TEXTS = [
    "快递把包裹弄丢了，物流显示签收但没收到 parcel lost",
    "包裹丢了！快递说已签收，根本没收到 parcel lost again",
    "my parcel lost by the courier, tracking says delivered, 包裹丢了",
]


def everyday_posts(start: datetime, end: datetime, seed: int = 7) -> list[ScoredPost]:
    """Two to seven complaints an hour over ordinary topics, and some praise, on every hour."""
    rng = random.Random(seed)
    items = []
    hour = start
    while hour < end:
        for n in range(rng.randint(2, 7)):
            topic = rng.choice(list(EVERYDAY))
            text = rng.choice(EVERYDAY[topic])
            published = hour + timedelta(minutes=rng.randint(0, 59))
            post = Post(f"e-{hour:%Y%m%d%H}-{n}", f"{text} #{n}", published_at=published,
                        score=rng.randint(0, 20), comments=rng.randint(0, 5))  # fmt: skip
            items.append(ScoredPost(post, "zh", ANGRY, [topic]))
        praise = Post(f"p-{hour:%Y%m%d%H}", "很好用，点赞 great vacuum", published_at=hour)
        items.append(ScoredPost(praise, "zh", HAPPY, []))
        hour += timedelta(hours=1)
    return items


def burst_posts(start: datetime, count: int = 25, topic: str = "delivery") -> list[ScoredPost]:
    """`count` complaints on one topic within 45 minutes from `start` (an outage)."""
    return [
        ScoredPost(
            Post(
                f"b-{start:%Y%m%d%H%M}-{n}",
                f"{BURST_TEXTS[n % 3]} ({n})",
                published_at=start + timedelta(minutes=n * 45 / count),
                score=100 + n,
                comments=n,
            ),  # fmt: skip
            "zh",
            ANGRY,
            [topic],
        )
        for n in range(count)
    ]


def store(engine, items: Iterable[ScoredPost], collected_at: datetime, name: str = "forum"):
    """Store posts as one source's batch, collected at `collected_at`; returns the source id."""
    source = sync_sources(engine, [SourceSpec(name, "rss", "forum", {}, 900)])[name]
    save_batch(engine, source.id, "forum", list(items), {}, now=collected_at, threshold=0.5)
    return source.id
