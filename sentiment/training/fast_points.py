"""The `fast` models' complaint operating points, chosen as the default model's are (the most
complaints reach the queue at a stated precision per kind of text), written into each
fast-<language>.npz. The fast models are fitted on every training text, so the points are
chosen on out-of-fold probabilities: each training text scored by the models fitted on the
four folds without it (sentiment.training.folds)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from sentiment.linear import LinearModel
from sentiment.training.encoder_data import Corpus, read_corpus, text_fold
from sentiment.training.folds import fold_models
from sentiment.training.operating_points import choose_operating_points

FAST = "fast"


def scored(corpus: Corpus, folders_by_row: list[Path]) -> np.ndarray:
    """Each text's fast probabilities by the models in its row's folder, per language."""
    probs = np.zeros((len(corpus.texts), 3))
    groups: dict[tuple[Path, str], list[int]] = {}
    for index, (folder, language) in enumerate(zip(folders_by_row, corpus.languages, strict=True)):
        groups.setdefault((folder, language), []).append(index)
    for (folder, language), rows in groups.items():
        model = LinearModel.load(folder / f"{FAST}-{language}.npz")
        probs[rows] = model.probabilities([corpus.texts[index] for index in rows])
    return probs


def write_fast_points(
    data_directory: Path, models: Path, work: Path, log: Callable[[str], None]
) -> dict[str, dict]:
    """Choose each language's operating point and write it into models/fast-<language>.npz
    (the weights stay as they are); the points, with the figures they were chosen on."""
    folders = fold_models(data_directory, work, log)
    train = read_corpus(data_directory, raw=True)
    out_of_fold = scored(train, [folders[text_fold(text)] for text in train.texts])
    dev = read_corpus(data_directory, "dev", raw=True)
    on_dev = scored(dev, [models] * len(dev.texts))
    points = choose_operating_points(train, out_of_fold, dev, on_dev)
    for language, point in points.items():
        path = models / f"{FAST}-{language}.npz"
        model = LinearModel.load(path)
        model.meta["operating_point"] = {"chosen_on": "out-of-fold, five folds", **point}
        model.save(path)
        unmet = "" if point["targets_met"] else " (no lower point meets the targets)"
        log(f"{FAST}-{language}: complaint from raw P(negative) >= {point['threshold']:.2f}"
            f"{unmet}: out of fold {point['held_out']}, dev {point['dev']}")  # fmt: skip
    return points
