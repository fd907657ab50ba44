"""Topics with their own polarity: a post complains about a topic only where the clause that
names it is not praise. "快递很快，但是退款一直不到账" complains about refunds and praises
delivery; "售后很贴心" names after-sales service and complains about nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from sentiment.record import NEGATIVE_THRESHOLD, Sentiment
from sentiment.topics import match_topics

# Clause boundaries: punctuation of either language, and the contrast words that turn a
# sentence ("但是", "but"), which start a clause of their own.
_CLAUSE_BREAK = re.compile(
    r"[，,。.!！?？;；\n]+|(?=但是|不过|可是|然而|就是|只是)|(?=\b(?i:but|however|although)\b)"
)
# A clause this sure of being negative makes its topics complaints even in a post whose
# overall verdict is not a complaint (a mixed review).
STRONG_CLAUSE = 0.8

Scorer = Callable[[list[str], list[str]], list[Sentiment]]


def clauses(text: str) -> list[str]:
    """The clauses of a text, in order, without empty ones."""
    return [part.strip() for part in _CLAUSE_BREAK.split(text) if part and part.strip()]


def complaint_topics(
    texts: list[str],
    languages: list[str],
    records: list[Sentiment],
    score: Scorer,
    extra_terms: Mapping[str, Iterable[str]] | None = None,
    threshold: float = NEGATIVE_THRESHOLD,
) -> list[list[str]]:
    """Per text, the keys of the topics it complains about, in table order.

    In a one-clause text a named topic is a complaint when the text is one. Otherwise each
    clause naming a topic is scored on its own (`score`, one batch for all texts): the topic
    is a complaint when the text is one and some clause naming it is not praise, or when a
    clause naming it is a strong complaint (P(negative) >= STRONG_CLAUSE) by itself.
    """
    pending: list[tuple[int, str, list[str]]] = []  # (text, clause, topics it names)
    result: list[list[str]] = [[] for _ in texts]
    named_in: dict[int, list[str]] = {}  # text -> the topics it names, in table order
    for index, (text, record) in enumerate(zip(texts, records, strict=True)):
        named = match_topics(text, extra_terms)
        if not named:
            continue
        parts = clauses(text)
        if len(parts) <= 1:
            result[index] = named if record.is_complaint(threshold) else []
            continue
        named_in[index] = named
        for part in parts:
            topics = match_topics(part, extra_terms)
            if topics:
                pending.append((index, part, topics))
    if not pending:
        return result
    scored = score([part for _, part, _ in pending], [languages[i] for i, _, _ in pending])
    found: list[set[str]] = [set() for _ in texts]
    for (index, _, topics), clause in zip(pending, scored, strict=True):
        praise = clause.probs["positive"] > clause.probs["negative"]
        complaint = records[index].is_complaint(threshold) and not praise
        if complaint or clause.negative >= STRONG_CLAUSE:
            found[index].update(topics)
    for index, keys in enumerate(found):
        if keys:
            result[index] = [key for key in named_in[index] if key in keys]
    return result
