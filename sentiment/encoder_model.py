"""The `default` model: multilingual-e5-small fine-tuned on the labelled files (see
`hundredfold train --encoder`), run by ONNX Runtime with int8 weights on one thread, and a
complaint operating point per language written beside it."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import numpy as np

from sentiment.pieces import MAX_TOKENS, Pieces, prepared

ONNX_NAME = "encoder-int8.onnx"
PIECES_NAME = "encoder-pieces.npz"
META_NAME = "encoder-meta.json"
# Texts per ONNX run: sorted by length first, so a batch pads little.
BATCH = 16


class EncoderModel:
    """Softmax (negative, neutral, positive) of texts, and the operating points."""

    def __init__(self, directory: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One thread: the product scores in one process per core, and threads only contend.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(directory / ONNX_NAME), options, providers=["CPUExecutionProvider"]
        )
        with np.load(directory / PIECES_NAME, allow_pickle=False) as data:
            normalisation = dict(
                zip(data["normalise_from"].tolist(), data["normalise_to"].tolist(), strict=True)
            )
            self._pieces = Pieces(data["pieces"].tolist(), data["scores"], normalisation)
        self.meta = json.loads((directory / META_NAME).read_text(encoding="utf-8"))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row (P negative, P neutral, P positive) per text, in order."""
        out = np.zeros((len(texts), 3), dtype=np.float64)
        windows = [prepared(text) for text in texts]
        order = sorted(range(len(texts)), key=lambda index: len(windows[index]))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            ids, mask = self._pieces.batch([windows[index] for index in batch], MAX_TOKENS)
            (logits,) = self._session.run(None, {"ids": ids, "mask": mask})
            logits = logits.astype(np.float64)
            logits -= logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            out[batch] = exp / exp.sum(axis=1, keepdims=True)
        return out

    def operating_point(self, language: str) -> float:
        """The raw P(negative) from which a text of `language` is flagged as a complaint."""
        return float(self.meta["operating_points"][language]["threshold"])


def at_operating_point(probabilities: np.ndarray, threshold: float) -> np.ndarray:
    """Probabilities moved so that P(negative) = 0.5 where the raw P(negative) = threshold
    (a shift of its log-odds); neutral and positive keep their ratio. The product's one
    complaint rule (P(negative) >= NEGATIVE_THRESHOLD) then flags at the operating point."""
    raw = np.clip(probabilities[:, 0], 1e-9, 1 - 1e-9)
    shift = math.log(threshold / (1 - threshold))
    moved = 1.0 / (1.0 + np.exp(-(np.log(raw / (1 - raw)) - shift)))
    rest = (1 - moved) / (1 - raw)
    out = probabilities * rest[:, None]
    out[:, 0] = moved
    return out


@cache
def encoder_model(directory: Path) -> EncoderModel:
    """The model in `directory`, loaded once per process."""
    return EncoderModel(directory)
