"""A realistic database of N posts for benchmarks: bulk inserts, the shape the product stores."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, text

from data.rollups import rebuild_rollups
from data.schema import cases, post_topics, posts, sentiment_scores, sources

BENCH_SOURCES = {"bench-forum": "forum", "bench-reviews": "review", "bench-social": "social"}
CHUNK = 5_000
DAYS = 90
TOPIC_KEYS = ("presale", "delivery", "payment", "refund", "quality", "service", "price")
# About 60% of posts name one of these, as brand mentions do; the rest name no product.
PRODUCTS = ("Aurora X2", "Aurora Lite", "Nimbus Pro", "Nimbus Mini", "Pulse Buds", "Pulse Watch")


def bench_posts(engine: Engine) -> int:
    """How many posts the bench sources already hold."""
    with engine.connect() as connection:
        query = (
            select(func.count())
            .select_from(posts.join(sources))
            .where(sources.c.name.in_(list(BENCH_SOURCES)))
        )
        return int(connection.execute(query).scalar_one())


def _source_ids(engine: Engine) -> dict[str, int]:
    """Create the bench sources if missing; their ids by channel."""
    with engine.begin() as connection:
        existing = dict(connection.execute(select(sources.c.name, sources.c.id)).all())
        for name, channel in BENCH_SOURCES.items():
            if name not in existing:
                kind = "file" if channel == "review" else "rss"
                result = connection.execute(
                    sources.insert().values(
                        name=name, kind=kind, channel=channel, settings={}, state={},
                        every_seconds=900,
                    )
                )  # fmt: skip
                existing[name] = result.inserted_primary_key[0]  # type: ignore[index]
    return {BENCH_SOURCES[name]: existing[name] for name in BENCH_SOURCES}


def generate(engine: Engine, count: int, now: datetime, seed: int = 7) -> Iterator[int]:
    """Insert `count` posts over the last 90 days with scores, topics and cases; yields progress.

    The mix follows the demo: three channels, zh and en, about 30% complaint candidates, a
    daily rhythm, and an incident burst three days ago, so the queries see realistic data.
    """
    rng = random.Random(seed)
    channel_ids = _source_ids(engine)
    start = bench_posts(engine)
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        generated = [
            _one_post(rng, start + done + offset, channel_ids, now) for offset in range(size)
        ]
        with engine.begin() as connection:
            inserted = connection.execute(
                posts.insert().returning(posts.c.id, sort_by_parameter_order=True),
                [post for post, _, _, _ in generated],
            )
            ids = [row.id for row in inserted]
            score_rows: list[dict] = []
            topic_rows: list[dict] = []
            case_rows: list[dict] = []
            for post_id, (post, score, topics, case) in zip(ids, generated, strict=True):
                score_rows.append(score | {"post_id": post_id})
                topic_rows.extend({"post_id": post_id, "topic": topic} for topic in topics)
                if case:
                    case_rows.append(case | {"post_id": post_id, "channel": post["channel"]})
            connection.execute(sentiment_scores.insert(), score_rows)
            if topic_rows:
                connection.execute(post_topics.insert(), topic_rows)
            if case_rows:
                connection.execute(cases.insert(), case_rows)
        done += size
        yield done
    if count:  # one recount is far cheaper than refreshing every hour each chunk touches
        with engine.begin() as connection:
            rebuild_rollups(connection)
    if count and engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: statistics for the planner and the
        # visibility map for index-only scans. Timing before it would measure guesses.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def _one_post(rng: random.Random, number: int, channel_ids, now: datetime):
    """One generated post: its row, current score, topics, and case if it is a complaint."""
    channel = rng.choice(("forum", "review", "review", "social"))
    if rng.random() < 0.08:  # the incident: refund complaints three days ago
        published = now - timedelta(days=3, minutes=rng.uniform(0, 24 * 60))
        negative, topics = rng.uniform(0.7, 1.0), ["refund"]
    else:
        # More recent days carry a little more volume; hours follow a daytime rhythm.
        day = int(DAYS * rng.random() ** 1.2)
        hour = min(23, max(0, int(rng.gauss(14, 5))))
        published = (now - timedelta(days=day)).replace(hour=hour, minute=rng.randrange(60))
        negative = rng.betavariate(1.2, 2.8)
        topics = rng.sample(TOPIC_KEYS, k=rng.choice((0, 1, 1, 2))) if negative > 0.5 else []
    if published > now:  # a daytime hour later than now: the same hour a day earlier
        published -= timedelta(days=1)
    positive = (1 - negative) * rng.uniform(0.5, 1.0)
    neutral = max(0.0, 1 - negative - positive)
    text = f"bench post {number}"
    product = rng.choice(PRODUCTS) if rng.random() < 0.6 else None
    post = {
        "source_id": channel_ids[channel], "external_id": f"bench-{number}",
        "url": f"https://bench.example/{number}", "author": f"user{rng.randrange(50_000)}",
        "title": "", "body": text, "body_html": None,
        "language": "zh" if rng.random() < 0.55 else "en", "channel": channel,
        "product": product, "parent_external_id": None, "published_at": published,
        "published_at_estimated": False, "collected_at": published, "updated_at": published,
        "score": rng.randrange(0, 50), "comments": rng.randrange(0, 10), "followers": None,
        "rating": None, "content_hash": hashlib.sha256(text.encode()).hexdigest()[:32],
    }  # fmt: skip
    label = max(
        (("negative", negative), ("neutral", neutral), ("positive", positive)),
        key=lambda pair: pair[1],
    )[0]
    score = {
        "model": "bench-1", "label": label, "p_negative": negative,
        "p_neutral": neutral, "p_positive": positive, "uncertain": False, "is_current": True,
        "scored_at": published,
    }  # fmt: skip
    case = None
    if negative >= 0.5:
        case = _case(rng, published, now)
    return post, score, topics, case


def _case(rng: random.Random, published: datetime, now: datetime) -> dict:
    """A complaint's case as a working team leaves it: older ones answered and resolved (a
    few forgotten), the last two days' partly still open."""
    due = published + timedelta(hours=6)
    case = {
        "status": "new", "opened_at": published, "updated_at": published, "due_at": due,
        "backfill": False, "assignee": None, "first_reply_at": None, "reply_hours": None,
        "resolved_at": None,
    }  # fmt: skip
    answered = rng.random() < (0.97 if now - published > timedelta(days=2) else 0.4)
    reply_at = published + timedelta(hours=rng.uniform(0.2, 9))
    if answered and reply_at < now:
        hours = (reply_at - published) / timedelta(hours=1)
        case |= {"status": "resolved", "assignee": f"agent{rng.randrange(12)}",
                 "first_reply_at": reply_at, "reply_hours": hours,
                 "resolved_at": min(now, reply_at + timedelta(hours=1)),
                 "updated_at": reply_at}  # fmt: skip
    return case
