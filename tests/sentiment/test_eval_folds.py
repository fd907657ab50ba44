"""`hundredfold eval FILE_train.csv --folds`: five-fold figures of the fast models, each fifth
of the file scored by models fitted on the other four fifths of every training file."""

from __future__ import annotations

import json

import pytest

from hundredfold.model_commands import UsageError
from sentiment.training.data import read_labelled_csv
from sentiment.training.encoder_data import in_held_out_fold, text_fold
from tests.sentiment.test_models import FIXTURES, run
from tests.sentiment.test_training import write_tiny_english_data


def texts_of(path) -> list[str]:
    """The texts of a labelled CSV file's usable rows (as training reads them)."""
    rows, _ = read_labelled_csv(path)
    return [text for text, _ in rows]


@pytest.fixture(scope="module")
def folded(tmp_path_factory):
    """A tiny set of training files and one five-fold reading of its SST-2-like file."""
    root = tmp_path_factory.mktemp("folds")
    write_tiny_english_data(root / "data", polar=40, neutral=30)
    return root


def test_each_fifth_is_scored_by_models_that_never_saw_it(folded, capsys):
    train = folded / "data" / "en_sst2_train.csv"
    argv = ["eval", str(train), "--folds", "--model", "fast", "--work", str(folded / "work"),
            "--json"]  # fmt: skip
    assert run(argv) == 0
    result = json.loads(capsys.readouterr().out)
    texts = texts_of(train)
    assert result["n"] == len(texts) == 120
    assert [fold["fold"] for fold in result["folds"]] == [1, 2, 3, 4, 5]
    assert sum(fold["n"] for fold in result["folds"]) == len(texts)
    for fold in result["folds"]:
        assert fold["n"] == sum(text_fold(text) == fold["fold"] - 1 for text in texts)
    # "lovely" and "awful" rows are learnt from the other folds; "ordinary" ones are coin flips.
    assert 0.6 < result["macro_f1"] <= 1.0
    [digest] = (folded / "work" / "folds").iterdir()
    for number in range(1, 6):
        fitted_on = set()
        for path in (digest / f"fold-{number}" / "data").glob("*_train.csv"):
            fitted_on |= set(texts_of(path))
        everything = set(texts_of(train)) | set(texts_of(folded / "data" / "en_tweets3_train.csv"))
        # Every text outside the fold, none of it: fold 1 is the encoder's held-out fold.
        assert fitted_on == {text for text in everything if text_fold(text) != number - 1}
    held_out = {text for text in everything if in_held_out_fold(text)}
    assert held_out and held_out.isdisjoint(
        {t for p in (digest / "fold-1" / "data").glob("*.csv") for t in texts_of(p)}
    )


def test_a_second_reading_reuses_the_five_fits(folded, capsys):
    train = folded / "data" / "en_sst2_train.csv"
    argv = ["eval", str(train), "--folds", "--model", "fast", "--work", str(folded / "work")]
    assert run(argv) == 0
    first = capsys.readouterr()
    models = sorted((folded / "work" / "folds").glob("*/fold-*/models/fast-en.npz"))
    stamps = [path.stat().st_mtime_ns for path in models]
    assert run(argv) == 0
    second = capsys.readouterr()
    assert "fitting" not in second.err
    assert [path.stat().st_mtime_ns for path in models] == stamps and len(models) == 5

    def figures(out: str) -> list[str]:  # every line but the speed, which varies
        return [line for line in out.splitlines() if not line.startswith("speed")]

    assert "five folds" in second.out and figures(second.out) == figures(first.out)


def test_folds_refuse_what_they_cannot_read(folded):
    train = folded / "data" / "en_sst2_train.csv"
    with pytest.raises(UsageError, match="only the fast model"):
        run(["eval", str(train), "--folds"])
    with pytest.raises(UsageError, match="_train.csv"):
        run(["eval", str(FIXTURES / "sentiment_three_class.csv"), "--folds", "--model", "fast"])
    with pytest.raises(UsageError, match="choose one"):
        run(["eval", str(train), "--folds", "--held-out", "--model", "fast"])
