"""The sentiment record every analyser returns, and the one threshold that makes a complaint."""

from __future__ import annotations

from dataclasses import dataclass

LABELS = ("negative", "neutral", "positive")
# A post is a complaint candidate when P(negative) reaches this; config `negative_threshold`.
NEGATIVE_THRESHOLD = 0.5
# Below this top probability the model is not sure, and says so.
UNCERTAIN_BELOW = 0.6


@dataclass(frozen=True)
class Sentiment:
    """label in LABELS; probs over LABELS summing to 1; uncertain flag; model name and version."""

    label: str
    probs: dict[str, float]
    uncertain: bool
    model: str

    @property
    def negative(self) -> float:
        """P(negative)."""
        return self.probs["negative"]

    def is_complaint(self, threshold: float = NEGATIVE_THRESHOLD) -> bool:
        """Whether this post is a complaint candidate at `threshold`."""
        return self.probs["negative"] >= threshold


def from_probs(negative: float, neutral: float, positive: float, model: str) -> Sentiment:
    """A record from three scores, normalised to sum to 1; the label is the most probable."""
    total = negative + neutral + positive
    if total <= 0:  # no evidence either way
        return unscored(model)
    probs = {
        "negative": negative / total,
        "neutral": neutral / total,
        "positive": positive / total,
    }
    label = max(LABELS, key=lambda name: probs[name])
    return Sentiment(label, probs, max(probs.values()) < UNCERTAIN_BELOW, model)


def from_polarity(positive_share: float, neutral_band: float, model: str) -> Sentiment:
    """A record from a 0..1 positivity, with a neutral band around 0.5 of half-width `band`.

    Inside the band the neutral probability rises towards 1 at 0.5; negative and positive
    keep their ratio, so P(negative) > P(positive) exactly when positivity is below 0.5.
    """
    positive_share = min(1.0, max(0.0, positive_share))
    distance = abs(positive_share - 0.5)
    neutral = max(0.0, 1.0 - distance / neutral_band) if neutral_band > 0 else 0.0
    return from_probs(
        (1.0 - positive_share) * (1.0 - neutral),
        neutral,
        positive_share * (1.0 - neutral),
        model,
    )


def unscored(model: str = "none") -> Sentiment:
    """The record for text no analyser covers (unknown language, no words): neutral, unsure."""
    return Sentiment("neutral", {"negative": 0.0, "neutral": 1.0, "positive": 0.0}, True, model)
