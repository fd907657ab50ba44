"""One batch from a source into storage, in two steps so that collection overlaps itself:
`start_batch` filters the posts and hands the new texts to the scoring workers; `finish_batch`
takes their answer and stores. The collector starts a batch, then finishes the one before it,
so the workers score one batch while this process stores the last."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from collectors.base import Batch, Post
from data import ScoredPost, cached_scores
from data.quarantine import save_or_quarantine
from hundredfold.config import Config
from hundredfold.redaction import redact
from hundredfold.retention import retention_cutoff
from hundredfold.sane_dates import sane_dates
from sentiment import detect_language, model_ids
from sentiment.pool import Scored, TopicRules, default_workers, read_topics, start_scoring
from sentiment.record import Sentiment

if TYPE_CHECKING:
    from collections.abc import Callable

    from hundredfold.pipeline import SourceOutcome


@dataclass
class PostsInScoring:
    """Posts whose new texts the workers are scoring; the rest were scored before."""

    posts: list[Post]
    known: dict[str, Sentiment]  # content hash -> the record this model gave it before
    missing: list[int]  # the posts being scored
    answer: Callable[[], Scored]
    model: str
    rules: TopicRules


def start_scoring_posts(
    config: Config, engine: Engine, posts: list[Post], model: str | None = None
) -> PostsInScoring:
    """Hand the texts not scored before by `model` (else the config's) to the workers."""
    model = model or config.model
    # A text scored before is not scored again, but only a score by this model is reused: a
    # source set to `default` never inherits another source's `fast` scores.
    known = cached_scores(engine, [post.content_hash for post in posts], model_ids(model))
    missing = [i for i, post in enumerate(posts) if post.content_hash not in known]
    rules = TopicRules(config.topic_terms, config.negative_threshold)
    workers = config.scoring_workers or default_workers()
    answer = start_scoring([posts[i].text for i in missing], None, model, workers, rules)
    return PostsInScoring(posts, known, missing, answer, model, rules)


def scored_posts(config: Config, scoring: PostsInScoring) -> list[ScoredPost]:
    """Language, sentiment, complaint topics and product of each post, once scored."""
    posts, scored = scoring.posts, scoring.answer()
    languages: list[str] = [""] * len(posts)
    records: list[Sentiment] = [None] * len(posts)  # type: ignore[list-item]
    topics: list[list[str]] = [[] for _ in posts]
    for at, index in enumerate(scoring.missing):
        languages[index], records[index] = scored.languages[at], scored.records[at]
        topics[index] = scored.topics[at] if scored.topics else []
    reused = [i for i, post in enumerate(posts) if post.content_hash in scoring.known]
    for index in reused:
        languages[index] = detect_language(posts[index].text)
        records[index] = scoring.known[posts[index].content_hash]
    if reused:  # topics of a text scored before: its clauses are scored here (few texts)
        found = read_topics(
            [posts[i].text for i in reused], [languages[i] for i in reused],
            [records[i] for i in reused], scoring.model, scoring.rules,
        )  # fmt: skip
        for index, keys in zip(reused, found, strict=True):
            topics[index] = keys
    return [
        ScoredPost(post=post, language=language, sentiment=record, topics=post_topics,
                   product=product_of(post.text, config.products))
        for post, language, record, post_topics in zip(posts, languages, records, topics,
                                                        strict=True)
    ]  # fmt: skip


def score_posts(
    config: Config, engine: Engine, posts: list[Post], model: str | None = None
) -> list[ScoredPost]:
    """Language, sentiment by `model` (reused for texts scored before), topics and product of
    each post."""
    return scored_posts(config, start_scoring_posts(config, engine, posts, model))


@dataclass
class StartedBatch:
    """A batch filtered and in scoring, with what storing it needs."""

    source_id: int
    channel: str
    state: dict[str, Any] | None
    dates_given: dict[str, str]
    scoring: PostsInScoring


def start_batch(
    config: Config,
    engine: Engine,
    source_id: int,
    channel: str,
    batch: Batch,
    now: datetime,
    outcome: SourceOutcome,
    model: str | None = None,
) -> StartedBatch:
    """Filter one batch and hand its new texts to the scoring workers (with `model`, else
    the config's)."""
    outcome.warnings.extend(redact(warning) for warning in batch.warnings)
    about_brand = [post for post in batch.posts if is_about_brand(post, config.brand_terms)]
    outcome.posts_dropped += len(batch.posts) - len(about_brand)
    # Before anything reads a date: one from year 9999 would break the whole batch.
    about_brand, dates_given, date_warnings = sane_dates(about_brand, now)
    outcome.warnings.extend(redact(warning) for warning in date_warnings)
    # Already past retention (a full export re-read): stored, it would be scored only for the
    # next purge to delete it.
    cutoff = retention_cutoff(config, now)
    kept = [post for post in about_brand if not cutoff or (post.published_at or now) >= cutoff]
    outcome.posts_past_retention += len(about_brand) - len(kept)
    scoring = start_scoring_posts(config, engine, kept, model)
    return StartedBatch(source_id, channel, batch.state, dates_given, scoring)


def finish_batch(
    config: Config, engine: Engine, started: StartedBatch, now: datetime, outcome: SourceOutcome
) -> None:
    """Store a started batch with its checkpoint once scored; a row that cannot be stored is
    quarantined, the rest go on."""
    scored = [
        replace(item, published_given=started.dates_given.get(item.post.external_id))
        for item in scored_posts(config, started.scoring)
    ]
    counts, rejected = save_or_quarantine(
        engine, started.source_id, started.channel, scored, started.state, now=now,
        threshold=config.negative_threshold, sla=config.sla(),
    )  # fmt: skip
    outcome.warnings.extend(redact(warning) for warning in rejected)
    outcome.counts.add(counts)


def is_about_brand(post: Post, brand_terms: list[str]) -> bool:
    """Whether the post mentions one of the brand's aliases (no aliases: every post is)."""
    if not brand_terms:
        return True
    text = post.text.lower()
    return any(term.lower() in text for term in brand_terms)


def product_of(text: str, products: dict[str, list[str]]) -> str | None:
    """The first configured product whose name or alias the text mentions."""
    lowered = text.lower()
    for name, aliases in products.items():
        if any(alias.lower() in lowered for alias in [name, *aliases]):
            return name
    return None
