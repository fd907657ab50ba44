"""Chinese sentiment with snownlp: the design's baseline, trained on shopping reviews."""

from __future__ import annotations

from importlib.metadata import version

from sentiment.record import Sentiment, from_polarity

NEUTRAL_BAND = 0.15
# snownlp's cost grows with length; the opening of a post carries its sentiment.
MAX_CHARS = 1000


class SnowNlpAnalyser:
    """snownlp's naive Bayes positivity mapped onto the sentiment record."""

    def __init__(self) -> None:
        from snownlp import SnowNLP  # loads its model files on first use, not at import

        self._snownlp = SnowNLP
        self.model = f"snownlp-{version('snownlp')}"

    def analyse(self, texts: list[str]) -> list[Sentiment]:
        """Score each text."""
        return [
            from_polarity(self._snownlp(text[:MAX_CHARS]).sentiments, NEUTRAL_BAND, self.model)
            for text in texts
        ]
