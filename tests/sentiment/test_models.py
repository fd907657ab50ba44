"""Our trained models, the model registry, and the `eval` and `train` commands end to end."""

from __future__ import annotations

import argparse
import json
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.access import Actor
from data.corrections import correct_label
from hundredfold.model_commands import UsageError, add_model_commands
from sentiment import MODELS, analyse
from sentiment.encoder_model import META_NAME, ONNX_NAME, PIECES_NAME
from sentiment.evaluation import complaint_figures
from sentiment.linear import LinearModel
from sentiment.models import PACKAGED_MODELS
from sentiment.record import from_probs
from sentiment.training import VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLEAR_TEXTS = [
    ("物流很快，质量很好，非常满意，推荐购买", "zh", "positive"),
    ("质量太差了，用了两天就坏了，退款到现在还没到账，太失望了", "zh", "negative"),
    ("Love this kettle, works great and looks beautiful!", "en", "positive"),
    ("Awful product, it broke after one day. Worst purchase ever.", "en", "negative"),
]


def run(argv: list[str]) -> int:
    """Parse argv with a parser holding only our commands, then run the chosen handler."""
    parser = argparse.ArgumentParser(prog="hundredfold")
    common = argparse.ArgumentParser(add_help=False)
    add_model_commands(parser.add_subparsers(required=True), common)
    args = parser.parse_args(argv)
    return int(args.handler(args))


def test_registry_names_the_trained_models_and_the_baseline():
    assert {"default", "fast", "snownlp"} <= set(MODELS)
    for language in ("zh", "en"):
        assert (PACKAGED_MODELS / f"fast-{language}.npz").exists()
    for name in (ONNX_NAME, PIECES_NAME, META_NAME):
        assert (PACKAGED_MODELS / name).exists()


@pytest.mark.parametrize("model", ["default", "fast"])
def test_trained_models_score_clear_chinese_and_english_texts(model):
    texts = [text for text, _, _ in CLEAR_TEXTS]
    records = analyse(texts, [language for _, language, _ in CLEAR_TEXTS], model=model)
    assert [record.label for record in records] == [label for _, _, label in CLEAR_TEXTS]
    for record in records:
        assert math.isclose(sum(record.probs.values()), 1.0, abs_tol=1e-6)
        meta = json.loads((PACKAGED_MODELS / META_NAME).read_text(encoding="utf-8"))
        expected = meta["version"] if model == "default" else VERSION
        assert record.model == f"hundredfold-{model}-{expected}"
    assert records[1].is_complaint() and records[3].is_complaint()
    assert not records[0].is_complaint() and not records[2].is_complaint()


def test_default_is_what_analyse_uses_and_snownlp_stays_available():
    (ours,) = analyse(["质量很好，很满意"])
    (baseline,) = analyse(["质量很好，很满意"], model="snownlp")
    assert ours.model.startswith("hundredfold-default")
    assert baseline.model.startswith("snownlp")


def test_other_languages_stay_unscored_and_identical_texts_agree():
    texts = ["Der Wasserkocher ist leider kaputt gegangen, sehr schade.", "great!", "great!"]
    german, first, second = analyse(texts)
    assert (german.label, german.uncertain, german.model) == ("neutral", True, "none")
    assert first == second


def test_unknown_model_name_is_refused():
    with pytest.raises(ValueError, match="unknown model"):
        analyse(["good"], ["en"], model="nonexistent")


def test_model_file_round_trips_without_pickle(tmp_path):
    model = LinearModel.load(PACKAGED_MODELS / "fast-en.npz")
    model.save(tmp_path / "copy.npz")
    again = LinearModel.load(tmp_path / "copy.npz")
    texts = ["what a lovely day", "awful, never again"]
    assert again.probabilities(texts) == pytest.approx(model.probabilities(texts), abs=1e-3)


def test_eval_json_prints_one_line_with_the_figures(capsys):
    assert run(["eval", str(FIXTURES / "sentiment_labelled_mixed.csv"), "--json"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1
    result = json.loads(out)
    assert result["n"] == 8 and result["model"] == "default"
    for key in ("accuracy", "macro_f1", "texts_per_second", "ece", "per_class"):
        assert key in result
    assert 0 <= result["complaint_recall"] <= 1 and 0 <= result["complaint_precision"] <= 1
    assert "line 8" in err  # the broken row is reported and skipped


def test_eval_prints_a_readable_report_for_three_classes(capsys):
    path = FIXTURES / "sentiment_three_class.csv"
    assert run(["eval", str(path), "--model", "fast", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "neutral" in out and "texts/second" in out


def test_eval_reports_topic_precision_on_the_labelled_topic_file(capsys):
    assert run(["eval", str(FIXTURES / "topics_labelled.csv"), "--topics", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 86 and result["model"] == "default"
    # Praise and questions name topics without complaining: counted as named, not as complaints.
    assert result["named"]["precision"] > 0.8 and result["precision"] >= 0.85
    assert set(result["per_topic"]) <= {
        "presale",
        "delivery",
        "payment",
        "refund",
        "quality",
        "service",
        "price",
    }


def test_eval_of_a_missing_file_or_unknown_model_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="missing.csv"):
        run(["eval", str(tmp_path / "missing.csv")])
    with pytest.raises(UsageError, match="unknown model"):
        run(["eval", str(FIXTURES / "sentiment_three_class.csv"), "--model", "nope"])


def test_train_with_corrections_reads_the_queue_s_corrections(tmp_path, capsys):
    engine = connect(f"sqlite:///{tmp_path / 'hundredfold.db'}")  # the working directory's
    source = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900)])["f"]
    angry = from_probs(0.9, 0.05, 0.05, "m")
    save_batch(engine, source.id, "forum", [ScoredPost(Post("1", "is it in stock"), "en", angry)],
               {}, now=datetime.now(UTC), threshold=0.5)  # fmt: skip
    correct_label(engine, 1, Actor("ana"), "positive", datetime.now(UTC))
    data = tmp_path / "data"
    data.mkdir()
    rows = ["text,label"] + [f"great value number {i},1" for i in range(6)]
    rows += [f"broken again number {i},0" for i in range(6)]
    (data / "en_sst2_train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run(["train", "--data", str(data), "--out", str(tmp_path / "out"), "--model", "fast",
                "--with-corrections"]) == 0  # fmt: skip
    assert "corrections from the reply queue: 1" in capsys.readouterr().err
    assert (tmp_path / "out" / "fast-en.npz").exists()


def test_complaint_figures_count_flags_against_negative_labels():
    labels = np.array([0, 0, 0, 1, 2])
    figures = complaint_figures(labels, [True, True, False, True, False])
    assert figures == {
        "complaint_share": 0.6,
        "complaint_recall": round(2 / 3, 4),
        "complaint_precision": round(2 / 3, 4),
    }
    assert complaint_figures(np.array([1, 2]), [False, False])["complaint_recall"] == 0.0
