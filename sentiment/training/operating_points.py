"""The complaint flag as a product decision: per language, the lowest P(negative) at which the
texts flagged are still negative often enough on every kind of text (reviews, social posts),
chosen on the held-out fold of the training files (never trained or tuned on). Precision is
judged on opinionated texts (negative or positive): neutral small talk flagged is reported
beside it, not chosen on, because the queue exists to miss no complaint."""

from __future__ import annotations

import numpy as np

from sentiment.encoder_model import flagged
from sentiment.training.encoder_data import Corpus

# file -> kind of text; each kind has the share of flags that must be negative.
KINDS = {
    "zh_shopping": "review",
    "zh_waimai": "review",
    "zh_weibo": "social",
    "en_sst2": "review",
    "en_amazon3": "review",
    "en_tweets3": "social",
    "en_tweets13": "social",
}
# Stated precision of flags among opinionated texts: reviews with a margin above the 0.85 the
# product promises (held-out precision reads a little above unseen data); social posts at
# 0.80, as a margin there costs a fifth of Weibo complaints (0.63 -> 0.59 recall at 0.82).
TARGET_PRECISION = {"review": 0.88, "social": 0.80}
# And of all flags, neutral texts counted as misses, where the labels know neutral (three-class
# tweets): at least 0.65, so small talk stays out. At 0.70 English sat at 0.43, and review
# complaints caught on the held-out fold fell from 0.85 to 0.79 (tweets 0.78 -> 0.71) for
# three-class tweets' macro-F1 of 0.751 instead of 0.750.
TARGET_WITH_NEUTRAL = 0.65
# A point only lowers the bar from 0.5: moving P(negative) down would hand some texts the
# model finds more negative than positive to the positive side (`at_operating_point` keeps
# that decision the model's own only at or below 0.5). Where no point meets the targets, the
# language keeps 0.5, and its meta says so.
CANDIDATES = np.round(np.arange(0.05, 0.501, 0.01), 2)


def flag_figures(probs: np.ndarray, truth: np.ndarray, threshold: float) -> dict[str, float]:
    """Recall of negatives, and precision of the flags, at an operating point."""
    flags = flagged(probs, threshold)
    hits = int((flags & truth).sum())
    return {
        "recall": round(hits / max(int(truth.sum()), 1), 4),
        "precision": round(hits / max(int(flags.sum()), 1), 4),
        "flagged": int(flags.sum()),
    }


def by_kind(
    corpus: Corpus, probs: np.ndarray, language: str, polar: bool = True
) -> dict[str, tuple]:
    """kind -> (probabilities, is negative) over the corpus's texts of `language`; only the
    negative and positive ones when `polar`."""
    files = np.array(corpus.files)
    languages = np.array(corpus.languages)
    targets = np.array(corpus.targets)
    kinds: dict[str, tuple] = {}
    for kind in TARGET_PRECISION:
        rows = (languages == language) & np.isin(
            files, [name for name, own in KINDS.items() if own == kind]
        )
        if polar:
            rows &= targets != 1
        if rows.any():
            kinds[kind] = (probs[rows], targets[rows] == 0)
    return kinds


def three_class_rows(corpus: Corpus, language: str) -> np.ndarray:
    """The texts of `language` whose labels know neutral."""
    return np.array(corpus.three_class, dtype=bool) & (np.array(corpus.languages) == language)


def truth_of(corpus: Corpus) -> np.ndarray:
    """Whether each text is labelled negative."""
    return np.array(corpus.targets) == 0


def choose_operating_points(
    held_out: Corpus, held_out_probs: np.ndarray, dev: Corpus, dev_probs: np.ndarray
) -> dict[str, dict]:
    """language -> {threshold, target precision per kind, held-out and dev figures}."""
    points: dict[str, dict] = {}
    for language in sorted(set(held_out.languages)):
        kinds = by_kind(held_out, held_out_probs, language)
        with_neutral = by_kind(held_out, held_out_probs, language, polar=False)
        three_class = three_class_rows(held_out, language)
        threshold, met = 0.5, False
        for candidate in CANDIDATES:  # lowest first: the most complaints reach the queue
            polar_ok = all(
                flag_figures(probs, truth, candidate)["precision"] >= TARGET_PRECISION[kind]
                for kind, (probs, truth) in kinds.items()
            )
            neutral_ok = not three_class.any() or (
                flag_figures(held_out_probs[three_class], truth_of(held_out)[three_class],
                             candidate)["precision"] >= TARGET_WITH_NEUTRAL
            )  # fmt: skip
            if polar_ok and neutral_ok:
                threshold, met = float(candidate), True
                break
        dev_kinds = by_kind(dev, dev_probs, language)
        points[language] = {
            "threshold": threshold,
            "targets_met": met,
            "target_precision": {kind: TARGET_PRECISION[kind] for kind in kinds},
            "held_out": {k: flag_figures(n, t, threshold) for k, (n, t) in kinds.items()},
            "dev": {k: flag_figures(n, t, threshold) for k, (n, t) in dev_kinds.items()},
            "held_out_with_neutral": {
                k: flag_figures(n, t, threshold) for k, (n, t) in with_neutral.items()
            },
        }
    return points
