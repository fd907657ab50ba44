"""Sentence embeddings of training texts, cached on disk between training runs."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np


def cached_embeddings(texts: list[str], cache: Path | None, encoder: str = "use") -> np.ndarray:
    """Sentence embeddings of texts by a named encoder, kept in `cache` (a folder) keyed by the
    encoder and the texts' hash."""
    from sentiment.encoder import ENCODERS

    embed = ENCODERS[encoder]
    if cache is None:
        return embed(texts)
    key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:20]
    path = cache / (f"{key}.npy" if encoder == "use" else f"{encoder}-{key}.npy")
    if path.exists():
        return np.load(path, allow_pickle=False)
    cache.mkdir(parents=True, exist_ok=True)
    embeddings = embed(texts)
    partial = path.with_suffix(".partial.npy")  # a run stopped mid-write leaves no bad entry
    np.save(partial, embeddings)
    os.replace(partial, path)
    return embeddings


def segment_embeddings(
    texts: list[str], segments: list[tuple[int, int]], cache: Path | None, encoder: str = "use"
) -> np.ndarray:
    """Embeddings of texts cached per (start, end) segment (one per training file), so a model
    that adds or drops a file re-embeds only that file."""
    if not segments:
        return cached_embeddings(texts, cache, encoder)
    assert segments[0][0] == 0 and segments[-1][1] == len(texts), "segments must cover texts"
    return np.vstack(
        [cached_embeddings(texts[start:end], cache, encoder) for start, end in segments]
    )


def reused_embeddings(
    texts: list[str],
    known_texts: list[str],
    known: np.ndarray,
    cache: Path | None,
    encoder: str = "use",
) -> np.ndarray:
    """Embeddings of texts, taking the row of `known` for each text in `known_texts` and
    embedding (through the cache) only the others: the gate's texts are mostly the polarity's,
    and e5 would otherwise read SST-2 twice (a quarter of an hour)."""
    rows = {text: index for index, text in enumerate(known_texts)}
    missing = list(dict.fromkeys(text for text in texts if text not in rows))
    fresh = cached_embeddings(missing, cache, encoder) if missing else known[:0]
    fresh_rows = {text: index for index, text in enumerate(missing)}
    return np.vstack(
        [known[rows[text]] if text in rows else fresh[fresh_rows[text]] for text in texts]
    ).astype(known.dtype)
