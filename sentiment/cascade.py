"""The second stage of a cascade: texts the cheap model is unsure about are re-scored with
multilingual-e5 embeddings, which read social posts far better than n-grams do but cost ~50 ms
a text. Only the unsure share pays that price, so the model keeps its speed on the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

PREFIX = "refine_"


def sigmoid(values: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow warnings."""
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def unsure(positive: np.ndarray, band: float) -> np.ndarray:
    """Which texts the first stage is unsure about: confidence |2 P(positive) - 1| below band
    (the one rule for routing at scoring time and for choosing the second stage's texts)."""
    return np.abs(2.0 * positive - 1.0) < band


@dataclass
class Refiner:
    """Re-scores texts whose first-stage confidence |2 P(positive) - 1| is below `band`.

    The refined logit is `stage_weight` × the first-stage logit + the e5 (+ lexicon) inputs ·
    `weights` + `bias` (one logistic regression, stacked on out-of-fold first-stage logits),
    Platt-calibrated; P(neutral) of refined texts comes from a gate over the
    e5 embedding, the lexicon and the refined confidence (when `gate_weights` is not empty).
    """

    band: float
    stage_weight: float
    weights: np.ndarray
    bias: float
    calibration: np.ndarray
    gate_weights: np.ndarray
    gate_bias: float

    @classmethod
    def from_arrays(cls, data) -> Refiner | None:  # type: ignore[no-untyped-def]
        """The refiner stored in a model file's arrays, or None when the model has none."""
        if f"{PREFIX}weights" not in data:
            return None
        return cls(
            band=float(data[f"{PREFIX}band"]),
            stage_weight=float(data[f"{PREFIX}stage_weight"]),
            weights=data[f"{PREFIX}weights"].astype(np.float32),
            bias=float(data[f"{PREFIX}bias"]),
            calibration=data[f"{PREFIX}calibration"].astype(np.float64),
            gate_weights=data[f"{PREFIX}gate_weights"].astype(np.float32),
            gate_bias=float(data[f"{PREFIX}gate_bias"]),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The refiner as named plain arrays, for the model's .npz file."""
        values = {
            "band": np.float64(self.band),
            "stage_weight": np.float64(self.stage_weight),
            "weights": self.weights.astype(np.float32),
            "bias": np.float64(self.bias),
            "calibration": self.calibration,
            "gate_weights": self.gate_weights.astype(np.float32),
            "gate_bias": np.float64(self.gate_bias),
        }
        return {PREFIX + name: np.asarray(value) for name, value in values.items()}

    def routed(self, positive: np.ndarray) -> np.ndarray:
        """Indexes of the texts the first stage is unsure about."""
        return np.flatnonzero(unsure(positive, self.band))

    def positive(
        self, first_logits: np.ndarray, embeddings: np.ndarray, lexicon: np.ndarray
    ) -> np.ndarray:
        """Calibrated P(positive | polar) of routed texts."""
        inputs = np.hstack([embeddings, lexicon])
        logits = self.stage_weight * first_logits + inputs @ self.weights + self.bias
        slope, intercept = self.calibration
        return sigmoid(slope * logits + intercept)

    def neutral(
        self, embeddings: np.ndarray, lexicon: np.ndarray, positive: np.ndarray
    ) -> np.ndarray | None:
        """P(neutral) of routed texts, or None when the refiner has no gate of its own."""
        if self.gate_weights.size == 0:
            return None
        confidence = np.abs(2.0 * positive - 1.0)[:, None]
        inputs = np.hstack([embeddings, lexicon, confidence])
        return sigmoid(inputs @ self.gate_weights + self.gate_bias)

    def refine(
        self,
        texts: list[str],
        first_logits: np.ndarray,
        lexicon: np.ndarray,
        positive: np.ndarray,
        neutral: np.ndarray,
        embed: Callable[[list[str]], np.ndarray] | None = None,
    ) -> np.ndarray:
        """Overwrite `positive` and `neutral` of routed texts in place; returns their indexes."""
        routed = self.routed(positive)
        if routed.size == 0:
            return routed
        if embed is None:
            from sentiment.encoder import embed_e5

            embed = embed_e5
        embeddings = embed([texts[index] for index in routed])
        positive[routed] = self.positive(first_logits[routed], embeddings, lexicon[routed])
        refined_neutral = self.neutral(embeddings, lexicon[routed], positive[routed])
        if refined_neutral is not None:
            neutral[routed] = refined_neutral
        return routed
