"""Our own models: n-gram TF-IDF weights, optional sentence-embedding and lexicon weights,
a calibration and a neutral gate, read from one .npz file and scored with numpy alone."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sentiment.cascade import Refiner, sigmoid
from sentiment.features import FEATURES


def pack_text(text: str) -> np.ndarray:
    """Text as a uint8 array: .npz files then load with allow_pickle=False."""
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def unpack_text(array: np.ndarray) -> str:
    """The text packed by pack_text."""
    return bytes(array.astype(np.uint8)).decode("utf-8")


@dataclass
class LinearModel:
    """One language's model: P(positive | polar) from n-grams (+ embedding, lexicon), P(neutral)
    from a gate over the embedding and the polarity's confidence."""

    meta: dict
    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    dense_weights: np.ndarray
    bias: float
    calibration: np.ndarray
    gate_weights: np.ndarray
    gate_bias: float
    refiner: Refiner | None = None

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
                refiner=Refiner.from_arrays(data),
            )

    def save(self, path: Path) -> None:
        """Write the model as a compressed .npz of plain arrays."""
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        refiner: dict[str, Any] = self.refiner.arrays() if self.refiner else {}
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
            **refiner,
        )

    @property
    def uses_encoder(self) -> bool:
        """Whether scoring needs sentence embeddings."""
        return bool(self.meta.get("encoder"))

    def sparse_scores(self, texts: list[str]) -> np.ndarray:
        """The n-gram part of the polarity logit: TF-IDF (sublinear tf, L2-normalised) · weights."""
        extract = FEATURES[self.meta["features"]]
        lookup = self.vocabulary.get
        rows: list[int] = []
        indexes: list[int] = []
        counts: list[int] = []
        for row, text in enumerate(texts):
            found = Counter(index for f in extract(text) if (index := lookup(f)) is not None)
            rows.extend([row] * len(found))
            indexes.extend(found)
            counts.extend(found.values())
        row_ids = np.asarray(rows, dtype=np.int64)
        columns = np.asarray(indexes, dtype=np.int64)
        values = (1.0 + np.log(np.asarray(counts, dtype=np.float32))) * self.idf[columns]
        norms = np.sqrt(np.bincount(row_ids, values * values, minlength=len(texts)))
        dots = np.bincount(row_ids, values * self.weights[columns], minlength=len(texts))
        return dots / np.where(norms > 0, norms, 1.0)

    def dense_inputs(self, texts: list[str], embeddings: np.ndarray | None) -> np.ndarray:
        """The dense inputs the model was trained with: embedding, then lexicon scores."""
        parts = []
        if self.uses_encoder:
            if embeddings is None:
                from sentiment.encoder import embed

                embeddings = embed(texts)
            parts.append(embeddings)
        if self.meta.get("lexicon") == "vader":
            from sentiment.english import vader_features

            parts.append(vader_features(texts))
        if not parts:
            return np.zeros((len(texts), 0), dtype=np.float32)
        return np.hstack(parts).astype(np.float32)

    @property
    def embedding_size(self) -> int:
        """How many of the dense inputs are the sentence embedding (the rest are lexicon)."""
        return int(self.meta.get("embedding_size", 512 if self.uses_encoder else 0))

    def warm_up(self) -> None:
        """Load the encoders this model uses (each loads once per process)."""
        if self.uses_encoder:
            from sentiment.encoder import embed

            embed(["warm up"])
        if self.refiner is not None:
            from sentiment.encoder import embed_e5

            embed_e5(["warm up"])

    def first_stage(
        self, texts: list[str], embeddings: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Dense inputs, polarity logits, calibrated P(positive | polar) and P(neutral)."""
        dense = self.dense_inputs(texts, embeddings)
        logits = self.sparse_scores(texts) + dense @ self.dense_weights + self.bias
        slope, intercept = self.calibration
        positive = sigmoid(slope * logits + intercept)
        confidence = np.abs(2.0 * positive - 1.0)[:, None]
        gate_inputs = np.hstack([dense[:, : self.gate_weights.size - 1], confidence])
        neutral = sigmoid(gate_inputs @ self.gate_weights + self.gate_bias)
        return dense, logits, positive, neutral

    def probabilities(
        self,
        texts: list[str],
        embeddings: np.ndarray | None = None,
        refine: bool = True,
    ) -> np.ndarray:
        """Rows of P(negative), P(neutral), P(positive), each summing to 1; texts the first
        stage is unsure about go through the refiner (when the model has one and `refine`)."""
        if not texts:
            return np.zeros((0, 3))
        dense, logits, positive, neutral = self.first_stage(texts, embeddings)
        if refine and self.refiner is not None:
            lexicon = dense[:, self.embedding_size :]
            self.refiner.refine(texts, logits, lexicon, positive, neutral)
        return np.column_stack([(1 - neutral) * (1 - positive), neutral, (1 - neutral) * positive])
