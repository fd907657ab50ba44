"""How much the `fast` n-gram model weighs beside the encoder, per language: chosen on the
held-out fold with an n-gram model fitted without that fold (`hundredfold train --model fast
--data` on the other four folds), so neither model has seen the texts it is judged on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from sentiment.encoder_model import blended, sure
from sentiment.linear import LinearModel
from sentiment.training.encoder_data import FILES, Corpus, macro_f1_by_file

WEIGHTS = np.round(np.arange(0.0, 0.81, 0.1), 2)
# Cascade confidences tried, surest first: texts the n-gram model is this sure of skip the
# encoder. A language goes as low as costs none of its files more than CASCADE_TOLERANCE of
# held-out macro-F1 against the encoder reading every text.
CASCADE_GRID = (0.99, 0.98, 0.97, 0.96, 0.95, 0.93, 0.9, 0.85, 0.8)
CASCADE_TOLERANCE = 0.005


def ngram_probabilities(corpus: Corpus, models: Path) -> np.ndarray:
    """The fast model's (negative, neutral, positive) for each text, by its language."""
    out = np.zeros((len(corpus.texts), 3))
    languages = np.array(corpus.languages)
    for language in sorted(set(corpus.languages)):
        rows = np.flatnonzero(languages == language)
        model = LinearModel.load(models / f"fast-{language}.npz")
        out[rows] = model.probabilities([corpus.texts[index] for index in rows])
    return out


def mean_macro_f1(corpus: Corpus, probs: np.ndarray, language: str) -> float:
    """The mean over a language's files of their macro-F1."""
    figures = macro_f1_by_file(corpus, probs)
    names = {
        name for name, own in zip(corpus.files, corpus.languages, strict=True) if own == language
    }
    return float(np.mean([figures[name] for name in names])) if names else 0.0


def choose_blend(
    held_out: Corpus,
    encoder: np.ndarray,
    ngrams: np.ndarray,
    log: Callable[[str], None],
) -> dict[str, float]:
    """language -> the n-gram weight with the best mean held-out macro-F1 of its files."""
    weights: dict[str, float] = {}
    for language in sorted(set(held_out.languages)):
        figures = {
            float(weight): mean_macro_f1(
                held_out, blended(encoder, ngrams, float(weight)), language
            )
            for weight in WEIGHTS
        }
        weights[language] = max(figures, key=lambda weight: (round(figures[weight], 4), -weight))
        shown = ", ".join(f"{weight:.1f}: {value:.4f}" for weight, value in figures.items())
        log(f"{language} n-gram weight (mean held-out macro-F1): {shown}")
    return weights


def held_out_ngram_models(data_directory: Path, work: Path, log: Callable[[str], None]) -> Path:
    """The fast models fitted on the training files without the held-out fold (kept in `work`,
    where the five-fold figures and the fast operating points find them too)."""
    from sentiment.training.encoder_data import HELD_OUT_FOLD
    from sentiment.training.folds import fold_model

    return fold_model(data_directory, work, HELD_OUT_FOLD, log)


def per_language(
    corpus: Corpus,
    encoder: np.ndarray,
    ngrams: np.ndarray,
    weights: dict[str, float],
    confidence: dict[str, float] | None = None,
) -> np.ndarray:
    """Each text's blend at its language's weight; the n-gram model's own view where it is
    `sure` at its language's `confidence` (the cascade, as the analyser scores)."""
    out = encoder.astype(np.float64).copy()
    languages = np.array(corpus.languages)
    for language, weight in weights.items():
        rows = languages == language
        out[rows] = blended(out[rows], ngrams[rows], weight)
    return cascaded(out, ngrams, languages, confidence or {})


def cascaded(
    blend: np.ndarray, ngrams: np.ndarray, languages: np.ndarray, levels: dict[str, float]
) -> np.ndarray:
    """`blend` with the n-gram model's own view where it is `sure` at its language's level."""
    out = blend.copy()
    for language, level in levels.items():
        skipped = (languages == language) & sure(ngrams, level)
        out[skipped] = ngrams[skipped]
    return out


def choose_cascade(
    held_out: Corpus,
    blend: np.ndarray,
    ngrams: np.ndarray,
    log: Callable[[str], None],
) -> dict[str, float]:
    """language -> the lowest confidence of CASCADE_GRID at which the texts the n-gram model
    is sure of may skip the encoder (`blend`: the encoder's view blended, every text read)."""
    full = macro_f1_by_file(held_out, blend)
    languages = np.array(held_out.languages)
    chosen: dict[str, float] = {}
    for language in sorted(set(held_out.languages)):
        names = [name for name in full if FILES[name][0] == language]
        chosen[language] = 1.0
        for level in CASCADE_GRID:
            figures = macro_f1_by_file(
                held_out, cascaded(blend, ngrams, languages, {language: level})
            )
            if any(full[name] - figures[name] > CASCADE_TOLERANCE for name in names):
                break
            chosen[language] = level
        share = float(sure(ngrams[languages == language], chosen[language]).mean())
        log(f"{language} cascade at {chosen[language]}: {share:.0%} of held-out texts skip it")
    return chosen
