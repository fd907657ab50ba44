"""Our n-gram models: TF-IDF weights, optional lexicon weights, a calibration and a neutral
gate, read from one .npz file and scored with numpy alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sentiment.features import feature_indexes


def sigmoid(values: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow warnings."""
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def pack_text(text: str) -> np.ndarray:
    """Text as a uint8 array: .npz files then load with allow_pickle=False."""
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def unpack_text(array: np.ndarray) -> str:
    """The text packed by pack_text."""
    return bytes(array.astype(np.uint8)).decode("utf-8")


@dataclass
class LinearModel:
    """One language's model: P(positive | polar) from n-grams (+ lexicon scores), P(neutral)
    from a gate over the lexicon scores and the polarity's confidence."""

    meta: dict
    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    dense_weights: np.ndarray
    bias: float
    calibration: np.ndarray
    gate_weights: np.ndarray
    gate_bias: float
    # Text -> feature indexes, built on first use (it caches per word).
    _indexes: Callable[[str], list[int]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        """Read a model file written by `save` (never unpickles)."""
        with np.load(path, allow_pickle=False) as data:
            words = unpack_text(data["vocabulary"]).split("\n")
            return cls(
                meta=json.loads(unpack_text(data["meta"])),
                vocabulary={word: index for index, word in enumerate(words)},
                idf=data["idf"].astype(np.float32),
                weights=data["weights"].astype(np.float32),
                dense_weights=data["dense_weights"].astype(np.float32),
                bias=float(data["bias"]),
                calibration=data["calibration"].astype(np.float64),
                gate_weights=data["gate_weights"].astype(np.float32),
                gate_bias=float(data["gate_bias"]),
            )

    def save(self, path: Path) -> None:
        """Write the model as a compressed .npz of plain arrays."""
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            meta=pack_text(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)),
            vocabulary=pack_text("\n".join(words)),
            idf=self.idf.astype(np.float16),
            weights=self.weights.astype(np.float16),
            dense_weights=self.dense_weights.astype(np.float32),
            bias=np.float64(self.bias),
            calibration=self.calibration,
            gate_weights=self.gate_weights.astype(np.float32),
            gate_bias=np.float64(self.gate_bias),
        )

    def sparse_scores(self, texts: list[str]) -> np.ndarray:
        """The n-gram part of the polarity logit: TF-IDF (sublinear tf, L2-normalised) · weights."""
        if self._indexes is None:
            self._indexes = feature_indexes(self.meta["features"], self.vocabulary)
        found: list[int] = []
        lengths: list[int] = []
        for text in texts:
            indexes = self._indexes(text)
            found.extend(indexes)
            lengths.append(len(indexes))
        # Each (text, feature) pair once, with its count: one sort of the whole batch.
        flat = np.asarray(found, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        known = flat >= 0
        size = len(self.vocabulary)
        pairs, counts = np.unique(rows[known] * size + flat[known], return_counts=True)
        row_ids, columns = np.divmod(pairs, size)
        values = (1.0 + np.log(counts.astype(np.float32))) * self.idf[columns]
        norms = np.sqrt(np.bincount(row_ids, values * values, minlength=len(texts)))
        dots = np.bincount(row_ids, values * self.weights[columns], minlength=len(texts))
        return dots / np.where(norms > 0, norms, 1.0)

    def dense_inputs(self, texts: list[str]) -> np.ndarray:
        """The dense inputs the model was trained with: the lexicon's scores, if it has one."""
        if self.meta.get("lexicon") == "vader":
            from sentiment.english import vader_features

            return np.asarray(vader_features(texts), dtype=np.float32)
        return np.zeros((len(texts), 0), dtype=np.float32)

    def warm_up(self) -> None:
        """Score one text, so the lexicon is loaded before the first batch."""
        self.probabilities(["warm up"])

    def polarity_logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Dense inputs and uncalibrated polarity logits."""
        dense = self.dense_inputs(texts)
        return dense, self.sparse_scores(texts) + dense @ self.dense_weights + self.bias

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Rows of P(negative), P(neutral), P(positive), each summing to 1."""
        if not texts:
            return np.zeros((0, 3))
        dense, logits = self.polarity_logits(texts)
        slope, intercept = self.calibration
        positive = sigmoid(slope * logits + intercept)
        confidence = np.abs(2.0 * positive - 1.0)[:, None]
        # A gate shared from another language reads the confidence alone (one weight).
        gate_inputs = np.hstack([dense[:, : self.gate_weights.size - 1], confidence])
        neutral = sigmoid(gate_inputs @ self.gate_weights + self.gate_bias)
        return np.column_stack([(1 - neutral) * (1 - positive), neutral, (1 - neutral) * positive])
