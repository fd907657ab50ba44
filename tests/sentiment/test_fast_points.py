"""`hundredfold train --model fast` chooses each language's complaint operating point on
out-of-fold probabilities and writes it into the model file, which the analyser flags at."""

from __future__ import annotations

import numpy as np
import pytest

from sentiment.encoder_model import flagged
from sentiment.linear import LinearModel
from sentiment.models import TrainedAnalyser
from sentiment.training import train_models
from sentiment.training.encoder_data import Corpus, read_corpus, text_fold
from sentiment.training.operating_points import (
    TARGET_PRECISION,
    by_kind,
    choose_operating_points,
    flag_figures,
)
from tests.sentiment.test_models import run
from tests.sentiment.test_training import write_tiny_english_data

ARRAYS = ("idf", "weights", "dense_weights", "calibration", "gate_weights")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Tiny training and dev files, and `train --model fast` run on them."""
    root = tmp_path_factory.mktemp("fast-points")
    write_tiny_english_data(root / "data", polar=40, neutral=30)
    dev = ["text,label", "lovely day again,1", "awful mess again,0", "ordinary day again,1"]
    (root / "data" / "en_sst2_dev.csv").write_text("\n".join(dev) + "\n", encoding="utf-8")
    argv = ["train", "--data", str(root / "data"), "--out", str(root / "out"), "--model", "fast",
            "--work", str(root / "work")]  # fmt: skip
    assert run(argv) == 0
    return root


def test_the_point_is_chosen_on_texts_each_scored_by_models_that_never_saw_them(trained):
    point = LinearModel.load(trained / "out" / "fast-en.npz").meta["operating_point"]
    corpus = read_corpus(trained / "data", raw=True)
    [digest] = (trained / "work" / "folds").iterdir()
    probs = np.zeros((len(corpus.texts), 3))
    for index, text in enumerate(corpus.texts):
        folder = digest / f"fold-{text_fold(text) + 1}" / "models"
        probs[index] = LinearModel.load(folder / "fast-en.npz").probabilities([text])[0]
    kinds = by_kind(corpus, probs, "en")
    assert set(kinds) == set(point["held_out"]) == {"review", "social"}
    for kind, (kind_probs, truth) in kinds.items():
        figures = flag_figures(kind_probs, truth, point["threshold"])
        assert point["held_out"][kind] == figures
        assert figures["precision"] >= TARGET_PRECISION[kind]
    assert point["dev"]["review"]["flagged"] >= 1  # the dev file is read beside them


def test_the_model_file_keeps_its_weights_and_the_analyser_flags_at_its_point(trained):
    train_models(trained / "plain", trained / "data", log=lambda line: None)
    written = np.load(trained / "out" / "fast-en.npz")
    plain = np.load(trained / "plain" / "fast-en.npz")
    for name in ARRAYS:
        assert np.array_equal(written[name], plain[name]), name
    analyser = TrainedAnalyser("fast", "en", trained / "out")
    point = LinearModel.load(trained / "out" / "fast-en.npz").meta["operating_point"]
    assert analyser.operating_point == point["threshold"] != 0.5
    texts = [f"{word} number {i}" for word in ("awful mess", "ordinary day", "lovely day")
             for i in range(200, 230)]  # fmt: skip
    raw = LinearModel.load(trained / "out" / "fast-en.npz").probabilities(texts)
    records = analyser.analyse(texts)
    assert [record.is_complaint() for record in records] == list(
        flagged(raw, analyser.operating_point)
    )
    # A file without a point (as written before points were chosen) flags at 0.5.
    assert TrainedAnalyser("fast", "en", trained / "plain").operating_point == 0.5


def test_a_language_no_lower_point_serves_keeps_the_plain_half_and_says_so():
    # Negatives and positives equally sure of being negative: no point gets 0.88 of review
    # flags negative, and none above 0.5 is tried (it would hand negatives to positive).
    corpus = Corpus()
    for index in range(40):
        corpus.add(f"review {index}", 0 if index % 2 else 2, False, "en", "en_sst2")
    probs = np.tile([0.7, 0.1, 0.2], (40, 1))
    [point] = choose_operating_points(corpus, probs, corpus, probs).values()
    assert point["threshold"] == 0.5 and point["targets_met"] is False
    assert point["held_out"]["review"] == {"recall": 1.0, "precision": 0.5, "flagged": 40}
    # Half the positives made less sure: 0.88 is met from the lowest point that drops them.
    probs[2::4] = [0.3, 0.1, 0.6]
    probs[0::4] = [0.45, 0.1, 0.45]
    [point] = choose_operating_points(corpus, probs, corpus, probs).values()
    assert point["targets_met"] is True and point["threshold"] == 0.46
