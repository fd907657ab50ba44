"""English sentiment with VADER, a lexicon and rule model built for social media text."""

from __future__ import annotations

from functools import cache
from importlib.metadata import version

import numpy as np

from sentiment.record import Sentiment, from_polarity

# VADER calls |compound| < 0.05 neutral; a wider band keeps mild texts out of the queue.
NEUTRAL_BAND = 0.15
MAX_CHARS = 5000


class VaderAnalyser:
    """VADER's compound score (-1..1) mapped onto the sentiment record."""

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()
        self.model = f"vader-{version('vaderSentiment')}"

    def analyse(self, texts: list[str]) -> list[Sentiment]:
        """Score each text."""
        return [
            from_polarity(
                (self._vader.polarity_scores(text[:MAX_CHARS])["compound"] + 1) / 2,
                NEUTRAL_BAND,
                self.model,
            )
            for text in texts
        ]


def vader_features(texts: list[str]) -> np.ndarray:
    """VADER's compound, positive and negative scores per text: lexicon evidence for our models."""
    vader = _vader()
    scores = (vader.polarity_scores(text[:MAX_CHARS]) for text in texts)
    return np.array(
        [[s["compound"], s["pos"], s["neg"]] for s in scores], dtype=np.float32
    ).reshape(len(texts), 3)


@cache
def _vader():  # type: ignore[no-untyped-def]
    """One shared VADER analyser (building it reads the lexicon file)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
