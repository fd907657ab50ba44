"""Sentiment of posts: language detection, one analyser per language, complaint topics."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Protocol

from sentiment.chinese import SnowNlpAnalyser
from sentiment.english import VaderAnalyser
from sentiment.language import detect_language
from sentiment.record import NEGATIVE_THRESHOLD, Sentiment, unscored
from sentiment.topics import TOPICS, match_topics


class Analyser(Protocol):
    """Scores a batch of texts of one language."""

    model: str

    def analyse(self, texts: list[str]) -> list[Sentiment]:
        """One record per text, in order."""
        ...


ANALYSERS: dict[str, Callable[[], Analyser]] = {
    "zh": SnowNlpAnalyser,
    "en": VaderAnalyser,
}


@cache
def analyser_for(language: str) -> Analyser | None:
    """The analyser for a language (built once, on first use), or None if none covers it."""
    factory = ANALYSERS.get(language)
    return factory() if factory else None


def analyse(texts: list[str], languages: list[str] | None = None) -> list[Sentiment]:
    """Score texts, each by its language's analyser; languages are detected when not given."""
    languages = languages or [detect_language(text) for text in texts]
    results: list[Sentiment | None] = [None] * len(texts)
    by_language: dict[str, list[int]] = {}
    for index, language in enumerate(languages):
        by_language.setdefault(language, []).append(index)
    for language, indexes in by_language.items():
        analyser = analyser_for(language)
        if analyser is None:
            for index in indexes:
                results[index] = unscored()
            continue
        scored = analyser.analyse([texts[i] for i in indexes])
        for index, record in zip(indexes, scored, strict=True):
            results[index] = record
    return [record if record is not None else unscored() for record in results]


__all__ = [
    "ANALYSERS",
    "NEGATIVE_THRESHOLD",
    "TOPICS",
    "Sentiment",
    "analyse",
    "detect_language",
    "match_topics",
]
