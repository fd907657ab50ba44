"""English sentiment with VADER, a lexicon and rule model built for social media text."""

from __future__ import annotations

from functools import cache
from importlib.metadata import version

import numpy as np

from sentiment.record import Sentiment, from_polarity

# VADER calls |compound| < 0.05 neutral; a wider band keeps mild texts out of the queue.
NEUTRAL_BAND = 0.15
MAX_CHARS = 5000


def linear_vader():  # type: ignore[no-untyped-def]
    """A VADER analyser whose scores are VADER's own, in time linear in the text's length.

    VADER's negation and idiom checks copy and lower-case the whole word list for every
    word they look at (a 5,000-character review cost a second); they read only the three
    words before the word and the two after, so each is handed that window instead."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

    class LinearVader(SentimentIntensityAnalyzer):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            # VADER swaps emojis for their descriptions one character at a time, a Python
            # loop over every character; a text with none of them skips it (one set test).
            self._emoji_characters = frozenset(key for key in self.emojis if len(key) == 1)

        def polarity_scores(self, text):  # type: ignore[no-untyped-def]
            if not self._emoji_characters.isdisjoint(text):
                return SentimentIntensityAnalyzer.polarity_scores(self, text)
            # What VADER's polarity_scores does after its emoji pass, which left the text as is.
            text = text.strip()
            sentitext = SentiText(text)
            words = sentitext.words_and_emoticons
            sentiments: list[float] = []
            lexicon = self.lexicon
            for i, item in enumerate(words):
                lower = item.lower()
                if lower in BOOSTER_DICT or (
                    lower == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
                ):
                    sentiments.append(0)
                    continue
                if lower not in lexicon:  # sentiment_valence would append 0 for it too
                    sentiments.append(0)
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
            sentiments = self._but_check(words, sentiments)
            return self.score_valence(sentiments, text)

        # Both checks are only called with i > start_i, and the idiom check with i >= 3, so
        # the window never needs the wrap-around a negative index would give.
        def _negation_check(self, valence, words, start_i, i):  # type: ignore[no-untyped-def]
            low = max(0, i - 3)
            return SentimentIntensityAnalyzer._negation_check(
                valence, words[low : i + 3], start_i, i - low
            )

        def _special_idioms_check(self, valence, words, i):  # type: ignore[no-untyped-def]
            low = max(0, i - 3)
            return SentimentIntensityAnalyzer._special_idioms_check(
                valence, words[low : i + 3], i - low
            )

    return LinearVader()


class VaderAnalyser:
    """VADER's compound score (-1..1) mapped onto the sentiment record."""

    def __init__(self) -> None:
        self._vader = linear_vader()
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
    return linear_vader()
