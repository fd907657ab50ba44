"""The cascade's confidence per language: as low as costs no file of the language more than
half a point of held-out macro-F1 against the encoder reading every text."""

from __future__ import annotations

import numpy as np

from sentiment.training.blend import CASCADE_GRID, choose_cascade, per_language
from sentiment.training.encoder_data import Corpus

NEGATIVE, POSITIVE = np.array([0.9, 0.05, 0.05]), np.array([0.05, 0.05, 0.9])


def corpus_of(name: str, language: str, targets: list[int]) -> Corpus:
    """A binary file's rows."""
    corpus = Corpus()
    for number, target in enumerate(targets):
        corpus.add(f"text {number}", target, False, language, name)
    return corpus


def test_each_language_goes_as_low_as_its_n_gram_model_stays_right() -> None:
    # 400 Chinese and 400 English reviews; the encoder is right on every one.
    zh = corpus_of("zh_shopping", "zh", [0, 2] * 200)
    en = corpus_of("en_sst2", "en", [0, 2] * 200)
    held_out = Corpus()
    for part in (zh, en):
        for row in range(len(part.texts)):
            held_out.add(
                part.texts[row], part.targets[row], False, part.languages[row], part.files[row]
            )
    targets = np.array(held_out.targets)
    encoder = np.where((targets == 0)[:, None], NEGATIVE, POSITIVE)
    # The n-gram model: P(negative | polar) of 0.995, 0.92 or 0.75 on the right side, a third
    # of the texts each; in Chinese it is right however unsure; in English, every text it is
    # less than 0.95 sure of is wrong, so only the levels above 0.92 skip none of those.
    sureness = np.tile([0.995, 0.92, 0.75], len(targets) // 3 + 1)[: len(targets)]
    polar = np.where(targets == 0, sureness, 1 - sureness)
    english = np.array(held_out.languages) == "en"
    polar = np.where(english & (sureness < 0.95), 1 - polar, polar)
    ngrams = np.column_stack([polar * 0.9, np.full(len(polar), 0.1), (1 - polar) * 0.9])
    chosen = choose_cascade(held_out, encoder, ngrams, lambda line: None)
    assert chosen == {"zh": min(CASCADE_GRID), "en": 0.93}
    # Applied as the analyser applies it: Chinese texts the n-gram model is 0.92 sure of take
    # its view, English ones keep the encoder's.
    applied = per_language(held_out, encoder, ngrams, {"zh": 0.0, "en": 0.0}, chosen)
    zh_unsure = (~english) & (sureness == 0.92)
    en_unsure = english & (sureness == 0.92)
    assert np.allclose(applied[zh_unsure], ngrams[zh_unsure])
    assert np.allclose(applied[en_unsure], encoder[en_unsure])
