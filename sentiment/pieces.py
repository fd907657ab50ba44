"""Text to e5 token ids: the encoder's SentencePiece-Unigram vocabulary (pruned to the pieces
Chinese and English use), run by the `tokenizers` package, after the encoder's own
per-character normalisation map."""

from __future__ import annotations

import re

import numpy as np

from sentiment.features import strip_emoticon_codes

# Where a long review is cut: a sentence end in either language, or a line break.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n]|[.](?=\s))")
BOS, PAD, EOS, UNK = "<s>", "<pad>", "</s>", "<unk>"
# What the encoder reads of a text, in characters (see reading_window) and in tokens: ~110
# tokens of an 800-character review, at a cost of one fifth of all of it.
WINDOW_CHARS = 400
MAX_TOKENS = 128


def reading_window(text: str, limit: int) -> str:
    """At most about `limit` characters of a text: all of it when short; for a long review its
    opening (the title and first sentences) and its last sentence, where the verdict sits."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentences = [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]
    last = sentences[-1] if len(sentences) > 1 else ""
    if len(last) > limit // 3:
        last = last[-(limit // 3) :]
    head = text[: max(limit - len(last) - 1, limit // 2)]
    return f"{head} {last}".strip()


def prepared(text: str) -> str:
    """What the encoder reads of a text: no emoticon codes, a bounded window, never empty."""
    return reading_window(strip_emoticon_codes(text), WINDOW_CHARS) or "."


class Pieces:
    """A Unigram tokenizer over the given pieces and log-probability scores."""

    def __init__(self, pieces: list[str], scores: np.ndarray, normalisation: dict[int, str]):
        from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

        vocabulary = [(piece, float(score)) for piece, score in zip(pieces, scores, strict=True)]
        self._tokenizer = Tokenizer(models.Unigram(vocabulary, unk_id=pieces.index(UNK)))
        self._tokenizer.normalizer = normalizers.Replace(Regex(r"\s+"), " ")
        self._tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement="\u2581", prepend_scheme="always", split=True
        )
        self._table = str.maketrans(normalisation)
        self.bos, self.eos, self.pad = (pieces.index(token) for token in (BOS, EOS, PAD))

    def pieces(self, text: str) -> list[str]:
        """The pieces of one text (without the sentence markers)."""
        return self._tokenizer.encode(text.translate(self._table)).tokens

    def ids(self, texts: list[str], max_tokens: int) -> list[list[int]]:
        """Each text's ids between the sentence markers, cut to max_tokens in all."""
        encoded = self._tokenizer.encode_batch([text.translate(self._table) for text in texts])
        return [[self.bos, *item.ids[: max_tokens - 2], self.eos] for item in encoded]

    def batch(self, texts: list[str], max_tokens: int) -> tuple[np.ndarray, np.ndarray]:
        """Padded ids and the attention mask (int64) for texts, each cut to max_tokens."""
        return self.padded(self.ids(texts, max_tokens))

    def padded(self, rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Id rows padded to the longest, and their attention mask (int64)."""
        width = max(len(row) for row in rows)
        ids = np.full((len(rows), width), self.pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for index, row in enumerate(rows):
            ids[index, : len(row)] = row
            mask[index, : len(row)] = 1
        return ids, mask
