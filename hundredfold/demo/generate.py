"""Build the bundled demo posts (posts.jsonl) from phrase templates; run once, seeded, by us.

The phrase tables live in templates.json. Chinese fragments are clauses without end
punctuation (the generator joins them with "，"); English fragments are whole sentences.
Placeholders: {p} product, {n} days or times, {amount} money, {order} order number,
{weeks} weeks of use.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

from hundredfold.demo.compose import NAMES, PRODUCTS, compose, forum_html, join, title
from hundredfold.demo.oddities import odd_posts

SEED = 20240611
OUTPUT = Path(__file__).with_name("posts.jsonl")
DAY = 1440
SPAN_MINUTES = 60 * DAY
SOURCE_SIZES = {"forum": 900, "reviews": 1200, "social": 900}
# Reviews lean Chinese (a JD-like shop), social leans English; together about 55% Chinese.
CHINESE_SHARE = {"forum": 0.55, "reviews": 0.60, "social": 0.48}
INCIDENT_SIZES = {"forum": 70, "reviews": 100, "social": 80}
# Minutes ago: onset ~3.8 days back, peak soon after, tail over ~30 hours (2.5..4 days).
INCIDENT_OLDEST, INCIDENT_PEAK, INCIDENT_NEWEST = 5500, 5100, 3700
# Outside the incident; with its 250 refund posts the whole set is about 55/15/30.
BASELINE_INTENTS = {"positive": 0.60, "neutral": 0.165, "negative": 0.235}
NEGATIVE_TOPICS = {
    "delivery": 0.20,
    "quality": 0.25,
    "service": 0.15,
    "refund": 0.12,
    "payment": 0.08,
    "price": 0.12,
    "presale": 0.08,
}


def main() -> None:
    """Generate the posts and write them to posts.jsonl next to this module."""
    posts = generate(random.Random(SEED))
    with OUTPUT.open("w", encoding="utf-8", newline="\n") as handle:
        for post in posts:
            handle.write(json.dumps(post, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(posts)} posts to {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")


def generate(rng: random.Random) -> list[dict]:
    """All demo posts, oldest first, with ids assigned in time order per source."""
    posts = []
    for source, size in SOURCE_SIZES.items():
        incident = INCIDENT_SIZES[source]
        intents = _quota(BASELINE_INTENTS, size - incident, rng)
        for intent in intents:
            lang = "zh" if rng.random() < CHINESE_SHARE[source] else "en"
            posts.append(_post(rng, source, lang, intent, _baseline_minutes(rng)))
        for _ in range(incident):
            lang = "zh" if rng.random() < CHINESE_SHARE[source] else "en"
            minutes = round(rng.triangular(INCIDENT_NEWEST, INCIDENT_OLDEST, INCIDENT_PEAK))
            posts.append(_post(rng, source, lang, "negative", minutes, incident=True))
    _plant_odd_posts(rng, posts)
    posts.sort(key=lambda post: (-post["minutes_ago"], post["source"]))
    min(posts, key=lambda post: post["minutes_ago"])["minutes_ago"] = 0  # newest is "now"
    first_id = {"forum": 30_000, "reviews": 18_250_000_000, "social": 112_000_000_000_000}
    counters = dict.fromkeys(SOURCE_SIZES, 0)
    for post in posts:
        counters[post["source"]] += 1
        step = 1 if post["source"] == "forum" else 7919  # sparse ids, as real platforms issue
        post["id"] = str(first_id[post["source"]] + counters[post["source"]] * step)
    return [_ordered(post) for post in posts]


def _quota(shares: dict[str, float], total: int, rng: random.Random) -> list[str]:
    """Exactly `total` labels in the given shares (largest remainders), shuffled."""
    counts = {label: math.floor(share * total) for label, share in shares.items()}
    by_remainder = sorted(shares, key=lambda label: counts[label] - shares[label] * total)
    for label in by_remainder[: total - sum(counts.values())]:
        counts[label] += 1
    labels = [label for label, count in counts.items() for _ in range(count)]
    rng.shuffle(labels)
    return labels


def _baseline_minutes(rng: random.Random) -> int:
    """A time in the last 60 days: a gentle weekly rhythm, a little busier recently."""
    while True:
        minutes = rng.randrange(SPAN_MINUTES)
        weekly = 1 + 0.2 * math.cos(2 * math.pi * minutes / (7 * DAY))
        recency = 0.75 + 0.5 * (1 - minutes / SPAN_MINUTES)
        if rng.random() * 1.2 * 1.25 < weekly * recency:
            return minutes


def _post(
    rng: random.Random, source: str, lang: str, intent: str, minutes: int, incident: bool = False
) -> dict:
    """One post: composed text, author, reach, and the source's own fields."""
    product = rng.choice(PRODUCTS)
    topic = "refund" if incident else _topic(rng, intent)
    sentences = compose(rng, lang, intent, topic, product, source, incident)
    post = {
        "source": source,
        "title": "",
        "author": _author(rng, lang, source),
        "minutes_ago": minutes,
        "lang": lang,
        "intent": intent,
        "topic": topic,
        "product": product,
        "incident": incident,
    }
    if source == "forum":
        post["title"] = title(rng, lang, intent, topic, product)
        post["body"] = forum_html(rng, sentences, lang)
    else:
        post["body"] = join(sentences, lang)
    if source == "reviews":
        post["rating"] = _rating(rng, intent)
    else:
        post["score"], post["comments"] = _reach(rng, source)
    return post


def _topic(rng: random.Random, intent: str) -> str | None:
    """Complaint topic of a negative post; neutral posts are pre-sale questions."""
    if intent == "negative":
        return rng.choices(list(NEGATIVE_TOPICS), weights=list(NEGATIVE_TOPICS.values()))[0]
    return "presale" if intent == "neutral" else None


def _author(rng: random.Random, lang: str, source: str) -> str:
    """A made-up nickname; review exports mask the middle of it, as shops do."""
    names = NAMES[lang]
    if lang == "zh":
        name = rng.choice(names["prefix"]) + rng.choice(names["family"])
        name += rng.choice(names["suffix"])
    else:
        name = rng.choice(names["first"]) + rng.choice(names["suffix"])
    if source == "reviews" and len(name) > 2:
        return f"{name[0]}***{name[-1]}"
    return name


def _rating(rng: random.Random, intent: str) -> int:
    """Star rating consistent with the post's tone."""
    if intent == "positive":
        return 5 if rng.random() < 0.7 else 4
    if intent == "neutral":
        return rng.choice((3, 3, 4))
    return 1 if rng.random() < 0.7 else 2


def _reach(rng: random.Random, source: str) -> tuple[int, int]:
    """(score, comments): small numbers, heavy-tailed; a rare post takes off."""
    if rng.random() < 0.004:
        return rng.randint(800, 5000), rng.randint(150, 900)
    score = min(int(rng.expovariate(1 / (6 if source == "social" else 4))), 120)
    return score, min(int(rng.expovariate(1 / 3)), 60)


def _plant_odd_posts(rng: random.Random, posts: list[dict]) -> None:
    """Swap in hostile or unusual posts, and make two complaints go viral for the alerts."""
    for odd in odd_posts(rng):
        index = next(
            i
            for i, post in enumerate(posts)
            if post["source"] == odd["source"]
            and post["intent"] == odd["intent"]
            and not post["incident"]
            and post["lang"] == odd["lang"]
            and not post.get("odd")
        )
        posts[index] = {**posts[index], **odd, "odd": True}
    incident_social = next(p for p in posts if p["source"] == "social" and p["incident"])
    recent_forum = min(
        (
            p
            for p in posts
            if p["source"] == "forum" and p["intent"] == "negative" and not p["incident"]
        ),
        key=lambda p: p["minutes_ago"],
    )
    incident_social.update(score=3200, comments=410)
    recent_forum.update(score=860, comments=275)


def _ordered(post: dict) -> dict:
    """Fields in a fixed, readable order; the source's unused fields left out."""
    keys = (
        "source",
        "id",
        "title",
        "body",
        "author",
        "minutes_ago",
        "rating",
        "score",
        "comments",
        "lang",
        "intent",
        "topic",
        "product",
        "incident",
        "odd",
    )
    return {key: post[key] for key in keys if key in post}


if __name__ == "__main__":
    main()
