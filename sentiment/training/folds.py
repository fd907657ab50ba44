"""The `fast` n-gram models fitted without one fold of the training files: the fold the encoder
holds out (so the blend and the cascade are chosen on texts neither model saw), and all five
folds for five-fold figures (`hundredfold eval FILE_train.csv --folds`). A fold is the one a
text's hash puts it in (`encoder_data.fold_of`), so fold 1 here is the encoder's held-out fold."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from pathlib import Path

from sentiment.training.encoder_data import FOLDS, text_fold

DONE = "fitted"  # written last: a folder without it was stopped mid-fit and is fitted again


def fit_without_fold(
    data_directory: Path, folder: Path, fold: int, log: Callable[[str], None]
) -> Path:
    """Fit the fast models on every *_train.csv row outside `fold`; the models' folder."""
    from sentiment.training import SPECS, train_models
    from sentiment.training.data import read_labelled_csv

    data, models = folder / "data", folder / "models"
    data.mkdir(parents=True, exist_ok=True)
    for path in sorted(data_directory.glob("*_train.csv")):
        rows, _ = read_labelled_csv(path)
        with (data / path.name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "label"])
            writer.writerows(row for row in rows if text_fold(row[0]) != fold)
    train_models(models, data, specs=SPECS, log=log)
    return models


def fold_root(data_directory: Path, work: Path) -> Path:
    """Where the fold fits of these training files (and this version of the fitting) are kept:
    `work/folds/<digest>/`."""
    from sentiment.training import VERSION

    digest = hashlib.sha256(VERSION.encode())  # a new fitting code version fits again
    for path in sorted(data_directory.glob("*_train.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return work / "folds" / digest.hexdigest()[:16]


def fold_model(
    data_directory: Path,
    work: Path,
    fold: int,
    log: Callable[[str], None],
    root: Path | None = None,
) -> Path:
    """The models fitted without `fold`, fitted once and kept in `<fold_root>/fold-<fold + 1>/`
    for later runs (`root`: that folder, when the caller has it already)."""
    folder = (root or fold_root(data_directory, work)) / f"fold-{fold + 1}"
    if not (folder / DONE).exists():
        log(f"fold {fold + 1} of {FOLDS}: fitting the fast models on the other four")
        fit_without_fold(data_directory, folder, fold, log)
        (folder / DONE).write_text("")
    return folder / "models"


def fold_models(data_directory: Path, work: Path, log: Callable[[str], None]) -> list[Path]:
    """The models of each fold (fitted without it), as `fold_model` keeps them."""
    root = fold_root(data_directory, work)  # the training files are read once, not per fold
    return [fold_model(data_directory, work, fold, log, root) for fold in range(FOLDS)]
