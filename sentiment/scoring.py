"""Scoring texts by a named model: the analyser of each language, built once."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Protocol, cast

from sentiment.language import detect_language
from sentiment.models import MODELS
from sentiment.names import DEFAULT_MODEL
from sentiment.record import Sentiment, unscored


class Analyser(Protocol):
    """Scores a batch of texts of one language."""

    model: str

    def analyse(self, texts: list[str]) -> list[Sentiment]:
        """One record per text, in order."""
        ...


# The languages each named model covers, by the baseline's analysers (kept for callers that
# look up the analyser of a language).
ANALYSERS = MODELS[DEFAULT_MODEL]


@cache
def analyser_for(language: str, model: str = DEFAULT_MODEL) -> Analyser | None:
    """The analyser of a named model for a language (built once), or None if none covers it."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    factory = MODELS[model].get(language)
    return cast(Analyser, factory()) if factory else None


@cache
def model_ids(model: str = DEFAULT_MODEL) -> frozenset[str]:
    """The ids a named model writes into its records (one per language's analyser)."""
    analysers = (analyser_for(language, model) for language in MODELS[model])
    return frozenset(analyser.model for analyser in analysers if analyser is not None)


def analyse(
    texts: list[str], languages: list[str] | None = None, model: str = DEFAULT_MODEL
) -> list[Sentiment]:
    """Score texts, each by the named model's analyser for its language (detected when not
    given); identical texts are scored once; languages no model covers stay unscored."""
    return analyse_by(texts, languages, lambda language: analyser_for(language, model))


def analyse_by(
    texts: list[str],
    languages: list[str] | None,
    analyser_of: Callable[[str], Analyser | None],
) -> list[Sentiment]:
    """Score texts, each by `analyser_of` its language; identical texts are scored once;
    languages it has no analyser for stay unscored."""
    languages = languages or [detect_language(text) for text in texts]
    results: list[Sentiment] = [unscored()] * len(texts)
    by_language: dict[str, dict[str, list[int]]] = {}
    for index, (text, language) in enumerate(zip(texts, languages, strict=True)):
        by_language.setdefault(language, {}).setdefault(text, []).append(index)
    for language, positions in by_language.items():
        analyser = analyser_of(language)
        if analyser is None:
            continue
        unique = list(positions)
        for text, record in zip(unique, analyser.analyse(unique), strict=True):
            for index in positions[text]:
                results[index] = record
    return results
