"""`hundredfold train`: refit the shipped models from labelled CSV files (never run in CI)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sentiment.linear import LinearModel
from sentiment.training.data import default_data_directory, training_texts
from sentiment.training.fit import fit_gate, fit_polarity

VERSION = "6"  # 6: a complaint operating point per language (fast_points.py)


@dataclass(frozen=True)
class ModelSpec:
    """How one named n-gram model is built for one language (settings chosen on the dev sets)."""

    name: str
    language: str
    features: str
    # Always False, recorded in the file's meta: n-gram models read no sentence embedding.
    encoder: bool
    lexicon: str | None
    regularisation: float
    # Scale n-grams by their naive Bayes log-count ratios (NB-LR): better on short posts.
    naive_bayes: bool = False
    # Calibrate on out-of-fold logits and fit on every text, rather than hold a tenth out.
    calibration_folds: int = 0

    def __post_init__(self) -> None:
        if self.encoder:
            raise ValueError(
                f"{self.name}-{self.language}: n-gram models take no sentence embedding "
                "(the default model is the fine-tuned encoder)"
            )


# The n-gram `fast` models; `default` is the fine-tuned encoder (sentiment.training.encoder_*).
SPECS = (
    ModelSpec("fast", "en", "en-words", False, "vader", 2.0, calibration_folds=4),
    ModelSpec(
        "fast", "zh", "zh-characters", False, None, 2.0, naive_bayes=True, calibration_folds=4
    ),
)


def train_models(
    out: Path,
    data_directory: Path | None = None,
    *,
    corrections: list[tuple[str, str, int]] | None = None,
    specs: tuple[ModelSpec, ...] = SPECS,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Fit every spec on the *_train.csv files and write `<name>-<language>.npz` into `out`.

    English is fitted before Chinese for each name: the neutral gate is learnt from English
    three-class tweets and, over the polarity's confidence alone, reused for Chinese, for
    which no neutral labels exist.
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
        dense = (
            vader_features(data.texts)
            if spec.lexicon == "vader"
            else np.zeros((len(data.texts), 0), dtype=np.float32)
        )
        polarity = fit_polarity(
            data.texts,
            data.labels,
            data.weights,
            dense,
            features=spec.features,
            regularisation=spec.regularisation,
            naive_bayes=spec.naive_bayes,
            calibration_folds=spec.calibration_folds,
            balance=data.balance,
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
            meta,
            polarity.vocabulary,
            polarity.idf,
            polarity.weights,
            polarity.dense_weights,
            polarity.bias,
            polarity.calibration,
            np.zeros(1),
            -50.0,
        )
        if len(set(data.gate_labels)) == 2:  # a gate needs neutral and non-neutral examples
            seen = {}
            if polarity.out_of_fold is not None:
                seen = dict(zip(data.texts, polarity.out_of_fold, strict=True))
            gate_data = (data.gate_texts, data.gate_labels, data.gate_weights, seen)
            if spec.lexicon:
                # Chinese reuses the gate and has no English lexicon scores: it gets a gate
                # fitted without them.
                fit_gate(model, *gate_data, with_lexicon=False)
                gates[spec.name] = (model.gate_weights, model.gate_bias)
            fit_gate(model, *gate_data)
            gates.setdefault(spec.name, (model.gate_weights, model.gate_bias))
        elif spec.name in gates:
            model.gate_weights, model.gate_bias = gates[spec.name]
        path = out / f"{spec.name}-{spec.language}.npz"
        model.save(path)
        written.append(path)
        log(f"  wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return written
