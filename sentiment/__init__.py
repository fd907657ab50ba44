"""Sentiment of posts: language detection, named models per language, complaint topics.

The names below are loaded when first used: a command that only reads the database (or
imports `sentiment.record`) does not pay for numpy, the language identifier and the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentiment.language import detect_language
    from sentiment.models import MODELS
    from sentiment.record import NEGATIVE_THRESHOLD, Sentiment
    from sentiment.scoring import ANALYSERS, Analyser, analyse, analyser_for, model_ids
    from sentiment.topics import TOPICS, match_topics

_HOMES = {
    "ANALYSERS": "sentiment.scoring",
    "Analyser": "sentiment.scoring",
    "MODELS": "sentiment.models",
    "NEGATIVE_THRESHOLD": "sentiment.record",
    "TOPICS": "sentiment.topics",
    "Sentiment": "sentiment.record",
    "analyse": "sentiment.scoring",
    "analyser_for": "sentiment.scoring",
    "detect_language": "sentiment.language",
    "match_topics": "sentiment.topics",
    "model_ids": "sentiment.scoring",
}


def __getattr__(name: str) -> Any:
    """One of the names above, from the module that defines it."""
    if name not in _HOMES:
        raise AttributeError(f"module 'sentiment' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)


__all__ = [
    "ANALYSERS",
    "MODELS",
    "NEGATIVE_THRESHOLD",
    "TOPICS",
    "Analyser",
    "Sentiment",
    "analyse",
    "analyser_for",
    "detect_language",
    "match_topics",
    "model_ids",
]
