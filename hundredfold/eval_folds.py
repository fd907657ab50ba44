"""`hundredfold eval FILE_train.csv --folds --model fast`: five-fold figures of the n-gram models.
Each fifth of the file is scored by models fitted on the other four fifths of every training
file beside it; the figures are read over all its rows, each scored by models that never saw
it, with each fold's macro-F1 beside them to show how far one fold's reading can stray. (The
fine-tuned encoder is too costly to fit five times: its one clean fold is `--held-out`.)"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from hundredfold.train_command import UsageError
from sentiment.evaluation import classification_report, predictions
from sentiment.models import TrainedAnalyser, model_directory
from sentiment.record import LABELS, Sentiment
from sentiment.scoring import analyse_by

FOLDED_MODEL = "fast"
LANGUAGES = ("zh", "en")


def fold_records(
    path: Path, texts: list[str], languages: list[str], model: str, work: Path
) -> tuple[list[Sentiment], list[int], float]:
    """Each text's record by the models fitted without its fold, its fold, and the seconds
    the scoring took (the fitting, done once and kept in `work`, is not counted)."""
    from sentiment.training.encoder_data import text_fold
    from sentiment.training.folds import fold_models

    if model != FOLDED_MODEL:
        raise UsageError(
            f"--folds: only the {FOLDED_MODEL} model is fitted five times; the default "
            "model's fine-tuning is too costly for that, so judge it with --held-out"
        )
    if not path.name.endswith("_train.csv"):
        raise UsageError("--folds: reads a *_train.csv file, beside the others it is fitted with")
    folders = fold_models(path.parent, work, lambda line: print(line, file=sys.stderr))
    folds = [text_fold(text) for text in texts]
    records: list[Sentiment] = [None] * len(texts)  # type: ignore[list-item]
    seconds = 0.0
    # Complaints are flagged at the shipped models' operating points (chosen at training on
    # these same out-of-fold probabilities: one number per language).
    shipped = {language: TrainedAnalyser(model, language).operating_point
               for language in LANGUAGES
               if (model_directory() / f"{model}-{language}.npz").exists()}  # fmt: skip
    for fold, folder in enumerate(folders):
        analysers = {language: TrainedAnalyser(model, language, folder, shipped.get(language))
                     for language in LANGUAGES
                     if (folder / f"{model}-{language}.npz").exists()}  # fmt: skip
        rows = [index for index, own in enumerate(folds) if own == fold]
        started = time.perf_counter()
        scored = analyse_by([texts[i] for i in rows], [languages[i] for i in rows], analysers.get)
        seconds += time.perf_counter() - started
        for index, record in zip(rows, scored, strict=True):
            records[index] = record
    return records, folds, seconds


def per_fold(
    probabilities: np.ndarray, truth: np.ndarray, folds: list[int], binary: bool
) -> list[dict]:
    """Each fold's macro-F1 and rows."""
    found = []
    for fold in sorted(set(folds)):
        rows = np.asarray(folds) == fold
        predicted, _ = predictions(probabilities[rows], binary)
        report = classification_report(truth[rows], predicted, binary)
        found.append({"fold": fold + 1, "n": int(rows.sum()), "macro_f1": report["macro_f1"]})
    return found


def probabilities_of(records: list[Sentiment]) -> np.ndarray:
    """Rows of the records' probabilities in label order."""
    return np.array([[record.probs[name] for name in LABELS] for record in records])
