"""`hundredfold train --model default` end to end on a tiny corpus: fine-tune, checkpoint,
resume, export to int8 ONNX, choose operating points, and score with what was written."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import numpy as np

from sentiment.encoder_model import META_NAME, EncoderModel
from tests.conftest import require

ROWS = {
    "zh_shopping": [("质量很好，非常满意", 1), ("太差了，用两天就坏了", 0)],
    "zh_weibo": [("今天心情超级好", 1), ("气死我了，又被骗了", 0)],
    "en_sst2": [("a moving, beautiful film", 1), ("dull and lifeless", 0)],
    "en_tweets13": [("love this phone", 2), ("meeting at 3pm today", 1), ("worst app ever", 0)],
}


def write_corpus(directory: Path, copies: int) -> None:
    """Small train and dev files in the shared data's format (distinct texts per copy)."""
    for name, rows in ROWS.items():
        for split, count in (("train", copies), ("dev", 2)):
            with (directory / f"{name}_{split}.csv").open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(["text", "label"])
                for copy in range(count):
                    for text, label in rows:
                        writer.writerow([f"{text} {split}{copy}", label])


def test_fine_tuning_resumes_from_its_checkpoint_and_writes_a_model_that_scores(tmp_path):
    require(importlib.util.find_spec("torch") is not None, 'torch (pip install -e ".[train]")')
    from sentiment.training.encoder_fit import CHECKPOINT, FitSettings
    from sentiment.training.encoder_train import train_encoder

    data, out, work = tmp_path / "data", tmp_path / "model", tmp_path / "work"
    data.mkdir()
    write_corpus(data, copies=12)
    lines: list[str] = []
    settings = FitSettings(frozen_layers=11, epochs=1, batch=8, vocabulary=3000)
    written = train_encoder(data, out, settings, lines.append, work)
    assert all(path.exists() for path in written) and (work / CHECKPOINT).exists()
    judged = work / "held-out-models"  # the encoder beside n-grams that never saw the fold
    assert {path.name for path in judged.iterdir()} >= {"fast-zh.npz", "fast-en.npz", META_NAME}
    assert not any(line.startswith("resumed") for line in lines)

    lines.clear()
    settings.epochs = 2  # one more epoch: the run goes on from the saved one
    train_encoder(data, out, settings, lines.append, work)
    assert any(line.startswith("resumed from encoder-checkpoint.pt: epoch 2") for line in lines)
    assert sum(line.startswith("epoch 2 step 0") for line in lines) == 1
    assert not any(line.startswith("epoch 1 step") for line in lines)

    meta = json.loads((out / META_NAME).read_text(encoding="utf-8"))
    assert set(meta["operating_points"]) == {"zh", "en"}
    assert set(meta["macro_f1"]["dev"]) == set(ROWS)
    model = EncoderModel(out)
    probabilities = model.probabilities(["质量很好", "worst app ever", "x" * 5000])
    assert probabilities.shape == (3, 3) and np.allclose(probabilities.sum(axis=1), 1.0)
    assert 0.05 <= model.operating_point("zh") <= 0.95
    size = sum(path.stat().st_size for path in written)
    assert size < 60_000_000
