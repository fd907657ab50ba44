"""Named models: our trained `default` and `fast`, and the baseline `snownlp` (VADER for en)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sentiment.chinese import SnowNlpAnalyser
from sentiment.encoder_model import at_operating_point, blended, encoder_model, sure
from sentiment.english import VaderAnalyser
from sentiment.linear import LinearModel
from sentiment.names import MODEL_NAMES
from sentiment.pieces import prepared
from sentiment.record import NEGATIVE_THRESHOLD, Sentiment, from_probs

PACKAGED_MODELS = Path(__file__).resolve().parent / "models"


def model_directory() -> Path:
    """Where model files are read: $HUNDREDFOLD_MODELS (a `hundredfold train --out` folder),
    else the files shipped in the package."""
    return Path(os.environ.get("HUNDREDFOLD_MODELS") or PACKAGED_MODELS)


class TrainedAnalyser:
    """One of our trained models for one language, behind the Analyser interface."""

    def __init__(
        self,
        name: str,
        language: str,
        directory: Path | None = None,
        operating_point: float | None = None,
    ) -> None:
        folder = directory or model_directory()
        self._model = LinearModel.load(folder / f"{name}-{language}.npz")
        self.model = f"hundredfold-{name}-{self._model.meta['version']}"
        # The raw P(negative) from which a text is a complaint: the one given, else the one
        # chosen at training (a file written before points were chosen flags at 0.5).
        if operating_point is None:
            point = self._model.meta.get("operating_point")
            operating_point = float(point["threshold"]) if point else NEGATIVE_THRESHOLD
        self.operating_point = operating_point

    def warm_up(self) -> None:
        """Load every encoder the model may call, so the first unsure text pays no loading."""
        self._model.warm_up()

    def analyse(self, texts: list[str]) -> list[Sentiment]:
        """Score texts in one batch, moved to this language's operating point."""
        probabilities = at_operating_point(self._model.probabilities(texts), self.operating_point)
        return [
            from_probs(float(negative), float(neutral), float(positive), self.model)
            for negative, neutral, positive in probabilities
        ]


class EncoderAnalyser:
    """The fine-tuned encoder for one language: one model reads Chinese and English; each
    language has its own complaint operating point."""

    def __init__(self, language: str) -> None:
        self._model = encoder_model(model_directory())
        # The raw P(negative) from which a text is a complaint (the shipped operating point).
        self.operating_point = self._model.operating_point(language)
        self.model = f"hundredfold-default-{self._model.meta['version']}"
        # The n-gram model's share of the judgement (chosen on the held-out fold at training).
        self._ngram_weight = float(self._model.meta.get("ngram_weight", {}).get(language, 0.0))
        # Texts the n-gram model is this sure of skip the encoder (1 = none skip): one level
        # per language, chosen on the held-out fold (an older model file has one for both).
        cascade = self._model.meta.get("cascade_confidence", 1.0)
        self._cascade = float(cascade.get(language, 1.0) if isinstance(cascade, dict) else cascade)
        self._ngrams = (
            LinearModel.load(model_directory() / f"fast-{language}.npz")
            if self._ngram_weight > 0 or self._cascade < 1
            else None
        )

    def warm_up(self) -> None:
        """Run one text, so the first batch pays no graph optimisation."""
        self._model.probabilities(["warm up"])

    def analyse(self, texts: list[str]) -> list[Sentiment]:
        """Score texts in one batch, moved to this language's operating point."""
        if self._ngrams is None:
            probabilities = self._model.probabilities(texts)
        else:
            # The window the encoder reads, as when the weight was chosen.
            probabilities = self._ngrams.probabilities([prepared(text) for text in texts])
            unsure = np.flatnonzero(~sure(probabilities, self._cascade))
            encoded = self._model.probabilities([texts[index] for index in unsure])
            probabilities[unsure] = blended(encoded, probabilities[unsure], self._ngram_weight)
        probabilities = at_operating_point(probabilities, self.operating_point)
        return [
            from_probs(float(negative), float(neutral), float(positive), self.model)
            for negative, neutral, positive in probabilities
        ]


def _trained(name: str, language: str) -> Callable[[], TrainedAnalyser]:
    """A factory for one trained model file, loaded on first use."""
    return lambda: TrainedAnalyser(name, language)


# Model name -> language -> analyser factory. `default` is what the pipeline scores with.
MODELS: dict[str, dict[str, Callable[[], object]]] = {
    "default": {"zh": lambda: EncoderAnalyser("zh"), "en": lambda: EncoderAnalyser("en")},
    "fast": {"zh": _trained("fast", "zh"), "en": _trained("fast", "en")},
    "snownlp": {"zh": SnowNlpAnalyser, "en": VaderAnalyser},
}
assert tuple(MODELS) == MODEL_NAMES, "sentiment.names lists the models MODELS builds"
