"""The fine-tuned encoder written for scoring: an ONNX graph with int8 weights (ONNX Runtime
runs it on one thread, no torch), and its pieces, scores and normalisation map in an .npz."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from sentiment.encoder_model import ONNX_NAME, PIECES_NAME
from sentiment.pieces import Pieces


def export(  # type: ignore[no-untyped-def]
    model,
    tokeniser: Pieces,
    pieces: list[str],
    scores: np.ndarray,
    out: Path,
    log: Callable[[str], None],
) -> None:
    """Write ONNX_NAME (int8) and PIECES_NAME into `out`."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from sentiment.training.e5_weights import read_e5

    model.eval()
    ids, mask = tokeniser.batch(["导出 export"] * 2, 16)
    floating = out / "encoder-float.onnx"
    torch.onnx.export(
        model,
        (torch.tensor(ids), torch.tensor(mask)),
        str(floating),
        input_names=["ids", "mask"],
        output_names=["logits"],
        dynamic_axes={"ids": {0: "texts", 1: "tokens"}, "mask": {0: "texts", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )
    # Gather too: the embedding table is most of the vocabulary's size.
    quantize_dynamic(
        str(floating),
        str(out / ONNX_NAME),
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather"],
    )
    floating.unlink()
    normalisation = read_e5().normalisation
    np.savez_compressed(
        out / PIECES_NAME,
        pieces=np.array(pieces),
        scores=scores.astype(np.float32),
        normalise_from=np.array(list(normalisation), dtype=np.int64),
        normalise_to=np.array(list(normalisation.values())),
    )
    size = (out / ONNX_NAME).stat().st_size + (out / PIECES_NAME).stat().st_size
    log(f"exported {ONNX_NAME} and {PIECES_NAME}: {size / 1e6:.1f} MB")
