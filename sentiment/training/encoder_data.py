"""The fine-tuning corpus of the encoder model: every *_train.csv file of both languages, one
fifth of each held out (never trained on) to choose the epoch and the complaint operating
points, and the pruned piece vocabulary."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sentiment.pieces import BOS, EOS, PAD, UNK, prepared
from sentiment.training.data import read_labelled_csv

FOLDS = 5
HELD_OUT_FOLD = 0
# file -> (language, three-class?, rows used per epoch at most). Shopping reviews are 26k of
# one kind: 12k of them teach as much, at half the time; each file counts by its rows.
FILES = {
    "zh_shopping": ("zh", False, 12_000),
    "zh_waimai": ("zh", False, None),
    "zh_weibo": ("zh", False, None),
    "en_sst2": ("en", False, None),
    "en_tweets3": ("en", True, None),
    "en_tweets13": ("en", True, None),
    "en_amazon3": ("en", False, None),
}
# Scripts whose single characters all stay in the vocabulary, so a text of unseen words still
# reads as characters, not as unknowns.
_KEPT_SCRIPTS = ("CJK", "LATIN", "HIRAGANA", "KATAKANA", "FULLWIDTH", "DIGIT")


@dataclass
class Corpus:
    """Texts with targets 0 negative, 1 neutral, 2 positive; `three_class` rows know neutral,
    the others are only negative or positive."""

    texts: list[str] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    three_class: list[bool] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def subset(self, rows: np.ndarray) -> Corpus:
        """The corpus restricted to `rows`."""
        part = Corpus()
        for index in rows:
            part.add(
                self.texts[index],
                self.targets[index],
                self.three_class[index],
                self.languages[index],
                self.files[index],
            )
        return part

    def add(self, text: str, target: int, three_class: bool, language: str, name: str) -> None:
        """One labelled row."""
        self.texts.append(text)
        self.targets.append(target)
        self.three_class.append(three_class)
        self.languages.append(language)
        self.files.append(name)


def fold_of(text: str) -> int:
    """A text's fold, from its content (stable across runs and machines)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=2).digest()[0] % FOLDS


def text_fold(text: str) -> int:
    """The fold of a raw text of a *_train.csv file (of what the encoder reads of it)."""
    return fold_of(prepared(text))


def in_held_out_fold(text: str) -> bool:
    """Whether a raw text of a *_train.csv file is in the fold the encoder never trains on."""
    return text_fold(text) == HELD_OUT_FOLD


def read_corpus(data_directory: Path, suffix: str = "train", raw: bool = False) -> Corpus:
    """Every labelled file of one split, binary labels mapped to 0 / 2; each text as the
    encoder reads it (its window), or as it was when `raw`."""
    corpus = Corpus()
    for name, (language, three_class, _) in FILES.items():
        path = data_directory / f"{name}_{suffix}.csv"
        if not path.exists():
            continue
        rows, _ = read_labelled_csv(path)
        for text, label in rows:
            target = label if three_class else 2 * label
            corpus.add(text if raw else prepared(text), target, three_class, language, name)
    return corpus


def split(corpus: Corpus, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training rows (capped per file, shuffled with `seed`) and the held-out fold's rows."""
    folds = np.array([fold_of(text) for text in corpus.texts])
    held_out = np.flatnonzero(folds == HELD_OUT_FOLD)
    rng = np.random.default_rng(seed)
    training: list[int] = []
    files = np.array(corpus.files)
    for name, (_, _, cap) in FILES.items():
        rows = np.flatnonzero((files == name) & (folds != HELD_OUT_FOLD))
        rows = rng.permutation(rows)
        training.extend(rows[:cap] if cap else rows)
    return rng.permutation(np.array(training, dtype=np.int64)), held_out


def _kept_character(piece: str) -> bool:
    """A one-character piece of a script Chinese and English posts use."""
    character = piece.removeprefix("\u2581")
    if len(character) != 1:
        return False
    if not character.isalnum():
        return True  # punctuation and symbols, emoji included
    name = unicodedata.name(character, "")
    return any(script in name for script in _KEPT_SCRIPTS)


def pruned_vocabulary(pieces: list[str], texts: list[str], tokenise, limit: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Indexes of the e5 pieces to keep: the special tokens, single characters of the scripts
    kept, and the `limit` pieces most used by `texts` (tokenised with the full vocabulary)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(tokenise(text))
    index = {piece: position for position, piece in enumerate(pieces)}
    kept = {index[token] for token in (BOS, PAD, EOS, UNK)}
    kept.update(position for position, piece in enumerate(pieces) if _kept_character(piece))
    for piece, _ in counts.most_common():
        if len(kept) >= limit:
            break
        if piece in index:
            kept.add(index[piece])
    return np.array(sorted(kept), dtype=np.int64)


def macro_f1_by_file(corpus: Corpus, probs: np.ndarray) -> dict[str, float]:
    """Macro-F1 per file as `hundredfold eval` decides: binary files negative when
    P(negative) > P(positive), three-class files by the most probable class."""
    from sklearn.metrics import f1_score

    files, targets = np.array(corpus.files), np.array(corpus.targets)
    figures: dict[str, float] = {}
    for name in dict.fromkeys(corpus.files):
        rows = files == name
        if FILES[name][1]:
            guess = probs[rows].argmax(1)
        else:
            guess = np.where(probs[rows, 0] > probs[rows, 2], 0, 2)
        figures[name] = round(float(f1_score(targets[rows], guess, average="macro")), 4)
    return figures
