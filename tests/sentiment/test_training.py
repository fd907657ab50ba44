"""Training the n-gram models: NB-LR keeps the direction of words, calibration and the neutral
gate learn from out-of-fold logits, and a spec cannot ask for a sentence encoder."""

from __future__ import annotations

import numpy as np
import pytest

from sentiment.linear import LinearModel
from sentiment.training import ModelSpec, train_models
from sentiment.training.fit import unseen_logits


@pytest.mark.parametrize("naive_bayes", [False, True])
def test_a_tiny_train_writes_a_model_that_keeps_the_direction_of_words(tmp_path, naive_bayes):
    data = tmp_path / "data"
    data.mkdir()
    rows = ["text,label"] + [f"lovely day {i}" + ",1" for i in range(10)]
    rows += [f"awful mess {i}" + ",0" for i in range(10)]
    (data / "en_sst2_train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec = ModelSpec("tiny", "en", "en-words", False, None, 1.0, naive_bayes=naive_bayes)
    (path,) = train_models(tmp_path / "out", data, specs=(spec,), log=lambda _: None)
    probabilities = LinearModel.load(path).probabilities(["lovely", "awful"])
    assert probabilities[0, 2] > probabilities[0, 0] and probabilities[1, 0] > probabilities[1, 2]


def test_cross_calibrated_training_sets_a_calibration_from_out_of_fold_logits(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rows = ["text,label"] + [f"lovely day number {i}" + ",1" for i in range(300)]
    rows += [f"awful mess number {i}" + ",0" for i in range(300)]
    rows += [f"ordinary day number {i}" + f",{i % 2}" for i in range(200)]  # unreadable ones
    (data / "en_sst2_train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec = ModelSpec("tiny", "en", "en-words", False, None, 1.0, calibration_folds=3)
    (path,) = train_models(tmp_path / "out", data, specs=(spec,), log=lambda _: None)
    model = LinearModel.load(path)
    assert not np.allclose(model.calibration, [1.0, 0.0])
    lovely, awful, ordinary = model.probabilities(["lovely day", "awful mess", "ordinary day"])
    assert lovely[2] > 0.8 and awful[0] > 0.8
    assert abs(ordinary[2] - ordinary[0]) < 0.3  # a coin-flip word stays near even odds


def write_tiny_english_data(folder, polar: int, neutral: int) -> None:
    """SST-2-like polar sentences and three-class tweets, with coin-flip texts among them."""
    folder.mkdir()
    rows = ["text,label"] + [f"lovely day number {i}" + ",1" for i in range(polar)]
    rows += [f"awful mess number {i}" + ",0" for i in range(polar)]
    rows += [f"ordinary day number {i}" + f",{i % 2}" for i in range(polar)]
    (folder / "en_sst2_train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    tweets = ["text,label"] + [f"the meeting moved to room {i}" + ",1" for i in range(neutral)]
    tweets += [f"so happy with my new phone {i}" + ",2" for i in range(neutral)]
    tweets += [f"worst service ever ticket {i}" + ",0" for i in range(neutral)]
    (folder / "en_tweets3_train.csv").write_text("\n".join(tweets) + "\n", encoding="utf-8")


def test_gate_texts_seen_in_training_get_their_out_of_fold_logit(tmp_path):
    write_tiny_english_data(tmp_path / "data", polar=20, neutral=5)
    spec = ModelSpec("tiny", "en", "en-words", False, None, 1.0)
    (path,) = train_models(tmp_path / "out", tmp_path / "data", specs=(spec,), log=lambda _: None)
    model = LinearModel.load(path)
    texts = ["lovely day number 3", "awful mess"]
    _, logits = unseen_logits(model, texts, {"lovely day number 3": -0.25})
    _, in_sample = model.polarity_logits(texts)
    assert logits[0] == -0.25 and in_sample[0] > 0  # the fit had seen it as positive
    assert logits[1] == in_sample[1]  # an unseen text keeps the model's own logit


def test_an_n_gram_spec_refuses_a_sentence_encoder():
    with pytest.raises(ValueError, match="no sentence embedding"):
        ModelSpec("tiny", "en", "en-words", True, None, 1.0)
