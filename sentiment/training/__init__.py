"""`hundredfold train`: refit the shipped models from labelled CSV files (never run in CI)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sentiment.linear import LinearModel
from sentiment.training.data import (
    default_data_directory,
    training_texts,
)
from sentiment.training.fit import cached_embeddings, fit_gate, fit_polarity

VERSION = "1"


@dataclass(frozen=True)
class ModelSpec:
    """How one named model is built for one language (settings chosen on the dev sets)."""

    name: str
    language: str
    features: str
    encoder: bool
    lexicon: str | None
    regularisation: float
    dense_scale: float = 1.0


SPECS = (
    ModelSpec("default", "en", "en-words", True, "vader", 2.0, 2.0),
    ModelSpec("default", "zh", "zh-characters", True, None, 4.0, 1.0),
    ModelSpec("fast", "en", "en-words", False, None, 4.0),
    ModelSpec("fast", "zh", "zh-characters", False, None, 4.0),
)


def train_models(
    out: Path,
    data_directory: Path | None = None,
    *,
    corrections: list[tuple[str, str, int]] | None = None,
    embedding_cache: Path | None = None,
    specs: tuple[ModelSpec, ...] = SPECS,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Fit every spec on the *_train.csv files and write `<name>-<language>.npz` into `out`.

    English is fitted before Chinese for each name: the neutral gate is learnt from English
    three-class tweets and, through the shared multilingual embedding, reused for Chinese,
    for which no neutral labels exist.
    """
    from sentiment.english import vader_features

    data_directory = data_directory or default_data_directory()
    if corrections is not None:
        log(f"corrections from the reply queue: {len(corrections)}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    gates: dict[str, tuple[np.ndarray, float]] = {}
    for spec in sorted(specs, key=lambda s: (s.name, s.language != "en")):
        data = training_texts(data_directory, spec.language, corrections)
        if not data.texts:
            log(f"{spec.name}-{spec.language}: no training files in {data_directory}, skipped")
            continue
        log(f"{spec.name}-{spec.language}: fitting")
        parts = []
        embeddings = cached_embeddings(data.texts, embedding_cache) if spec.encoder else None
        if embeddings is not None:
            parts.append(embeddings)
        if spec.lexicon == "vader":
            parts.append(vader_features(data.texts))
        dense = np.hstack(parts) if parts else np.zeros((len(data.texts), 0), dtype=np.float32)
        vocabulary, idf, weights, dense_weights, bias, calibration = fit_polarity(
            data.texts,
            data.labels,
            data.weights,
            dense,
            features=spec.features,
            regularisation=spec.regularisation,
            dense_scale=spec.dense_scale,
            log=log,
        )
        meta = {
            "name": spec.name,
            "language": spec.language,
            "version": VERSION,
            "features": spec.features,
            "encoder": spec.encoder,
            "lexicon": spec.lexicon,
            "trained_on": sorted(p.name for p in data_directory.glob("*_train.csv")),
            "corrections": len(corrections or []),
        }
        model = LinearModel(
            meta, vocabulary, idf, weights, dense_weights, bias, calibration, np.zeros(1), -50.0
        )
        if len(set(data.gate_labels)) == 2:  # a gate needs neutral and non-neutral examples
            gate_embeddings = (
                cached_embeddings(data.gate_texts, embedding_cache) if spec.encoder else None
            )
            fit_gate(model, data.gate_texts, data.gate_labels, gate_embeddings)
            gates[spec.name] = (model.gate_weights, model.gate_bias)
        elif spec.name in gates:
            model.gate_weights, model.gate_bias = gates[spec.name]
        path = out / f"{spec.name}-{spec.language}.npz"
        model.save(path)
        written.append(path)
        log(f"  wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return written
