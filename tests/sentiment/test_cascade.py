"""The cascade: only texts the cheap stage is unsure about reach the e5 encoder, the shipped
English model carries the e5 stage and scores offline, NB-LR training keeps its direction."""

from __future__ import annotations

import math
import socket

import numpy as np
import pytest

from sentiment.cascade import Refiner
from sentiment.linear import LinearModel
from sentiment.models import PACKAGED_MODELS
from sentiment.training import ModelSpec, train_models
from sentiment.training.fit import unseen_logits


def refiner_leaning_negative(dimensions: int) -> Refiner:
    """A refiner whose e5 stage says negative for every text, with a gate saying polar."""
    return Refiner(
        band=0.5,
        stage_weight=0.0,
        weights=np.zeros(dimensions),
        bias=-3.0,
        calibration=np.array([1.0, 0.0]),
        gate_weights=np.zeros(dimensions + 1),
        gate_bias=-4.0,
    )


def test_only_unsure_texts_are_embedded_and_rescored():
    refiner = refiner_leaning_negative(4)
    seen: list[str] = []

    def embed(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    texts = ["unsure a", "sure positive", "unsure b", "sure negative"]
    positive = np.array([0.55, 0.99, 0.4, 0.01])
    neutral = np.full(4, 0.5)
    routed = refiner.refine(texts, np.zeros(4), np.zeros((4, 0)), positive, neutral, embed)
    assert routed.tolist() == [0, 2] and seen == ["unsure a", "unsure b"]
    assert positive[0] < 0.1 and positive[2] < 0.1  # re-scored by the (negative) second stage
    assert positive[1] == 0.99 and positive[3] == 0.01  # confident texts keep their score
    assert neutral[0] < 0.05 and neutral[1] == 0.5  # routed texts get the e5 gate's answer


def test_refiner_round_trips_through_the_model_file(tmp_path):
    model = LinearModel.load(PACKAGED_MODELS / "fast-en.npz")
    model.refiner = refiner_leaning_negative(8)
    model.save(tmp_path / "m.npz")
    again = LinearModel.load(tmp_path / "m.npz")
    assert again.refiner is not None and again.refiner.band == 0.5
    assert np.allclose(again.refiner.gate_weights, model.refiner.gate_weights)
    assert LinearModel.load(PACKAGED_MODELS / "fast-en.npz").refiner is None


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(
    "language, texts",
    [
        (
            "en",
            [
                "Absolutely love this, best purchase of the year!",
                "the update is out tomorrow, not sure what to think about it",
                "@united flight delayed again, third time this month",
            ],
        ),
        ("zh", ["非常满意，质量很好，物流也快，下次还会再买！", "还行吧，就那样", "今天发布会"]),
    ],
)
def test_shipped_default_models_rescore_unsure_texts_offline(no_network, language, texts):
    model = LinearModel.load(PACKAGED_MODELS / f"default-{language}.npz")
    assert model.refiner is not None
    first = model.probabilities(texts, refine=False)
    refined = model.probabilities(texts)
    for row in refined:
        assert math.isclose(row.sum(), 1.0, abs_tol=1e-6) and (row >= 0).all()
    _, _, positive, _ = model.first_stage(texts)
    unsure = np.abs(2 * positive - 1) < model.refiner.band
    assert not unsure[0]  # a clear text is left to the cheap stage
    assert np.allclose(refined[~unsure], first[~unsure])
    assert unsure.any() and not np.allclose(refined[unsure], first[unsure])


def test_naive_bayes_training_keeps_the_direction_of_words(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rows = ["text,label"] + [f"lovely day {i}" + ",1" for i in range(10)]
    rows += [f"awful mess {i}" + ",0" for i in range(10)]
    (data / "en_sst2_train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec = ModelSpec("tiny", "en", "en-words", False, None, 1.0, naive_bayes=True)
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
    tweets += [f"worst service ever, ticket {i}" + ",0" for i in range(neutral)]
    (folder / "en_tweets3_train.csv").write_text("\n".join(tweets) + "\n", encoding="utf-8")


def test_gate_texts_seen_in_training_get_their_out_of_fold_logit(tmp_path):
    write_tiny_english_data(tmp_path / "data", polar=20, neutral=5)
    spec = ModelSpec("tiny", "en", "en-words", False, None, 1.0)
    (path,) = train_models(tmp_path / "out", tmp_path / "data", specs=(spec,), log=lambda _: None)
    model = LinearModel.load(path)
    texts = ["lovely day number 3", "awful mess"]
    _, logits = unseen_logits(model, texts, None, {"lovely day number 3": -0.25})
    _, in_sample, _, _ = model.first_stage(texts)
    assert logits[0] == -0.25 and in_sample[0] > 0  # the fit had seen it as positive
    assert logits[1] == in_sample[1]  # an unseen text keeps the model's own logit


def test_cascade_is_stacked_on_out_of_fold_logits_with_e5_and_lexicon(tmp_path):
    write_tiny_english_data(tmp_path / "data", polar=40, neutral=20)
    spec = ModelSpec(
        "tiny", "en", "en-words", False, "vader", 1.0, calibration_folds=3, refine_band=0.6
    )
    (path,) = train_models(tmp_path / "out", tmp_path / "data", specs=(spec,), log=lambda _: None)
    model = LinearModel.load(path)
    refiner = model.refiner
    assert refiner is not None and refiner.band == 0.6
    lexicon_size = 3
    assert refiner.weights.shape == (384 + lexicon_size,)
    assert refiner.gate_weights.shape == (384 + lexicon_size + 1,)
    # The coin-flip texts are the unsure ones, and the second stage re-scores them.
    ordinary = model.probabilities(["ordinary day number 7"], refine=False)
    refined = model.probabilities(["ordinary day number 7"])
    assert not np.allclose(ordinary, refined)
    assert math.isclose(refined.sum(), 1.0, abs_tol=1e-6)


def test_reviews_in_the_other_language_teach_the_e5_stage_only(tmp_path):
    write_tiny_english_data(tmp_path / "data", polar=40, neutral=8)
    praise = ["质量很好，非常满意", "东西不错，物流很快", "很好用，推荐购买", "包装精美，很喜欢"]
    complaints = ["质量太差，很失望", "用了两天就坏了", "客服不理人，退货麻烦", "味道难闻，不推荐"]
    rows = ["text,label"] + [f"{t}{i},1" for t in praise for i in range(12)]
    rows += [f"{t}{i},0" for t in complaints for i in range(12)]
    (tmp_path / "data" / "zh_shopping_train.csv").write_text("\n".join(rows) + "\n", "utf-8")
    texts = ["Great quality, I am very satisfied", "Broke after two days, very disappointed"]
    models = {}
    for cross_lingual in (False, True):
        spec = ModelSpec("tiny", "en", "en-words", True, None, 1.0, calibration_folds=3,
                         refine_band=1.0, cross_lingual=cross_lingual)  # fmt: skip
        (path,) = train_models(tmp_path / str(cross_lingual), tmp_path / "data", specs=(spec,),
                               log=lambda _: None)  # fmt: skip
        models[cross_lingual] = LinearModel.load(path)
    assert not any("质" in feature for feature in models[True].vocabulary)  # no Chinese n-grams
    # The first stage is fitted on the English texts alone; the e5 stage learnt the reviews.
    assert np.array_equal(models[True].weights, models[False].weights)
    positive = {}
    for cross_lingual, model in models.items():
        probabilities = model.probabilities(texts)
        positive[cross_lingual] = probabilities[:, 2] / (probabilities[:, 0] + probabilities[:, 2])
    # It tells the praise from the complaint further apart than English alone taught it to.
    gaps = {key: value[0] - value[1] for key, value in positive.items()}
    assert gaps[True] > gaps[False] + 0.03
