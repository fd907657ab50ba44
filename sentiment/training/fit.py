"""Fitting one language's model: vocabulary, TF-IDF, logistic regression, calibration, gate."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sentiment.features import FEATURES
from sentiment.linear import LinearModel, sigmoid

# A feature seen in fewer training texts than this is noise, and costs model size.
MIN_DOCUMENT_FREQUENCY = 2
CALIBRATION_SHARE = 0.1
SEED = 20240601
MIN_CALIBRATION = 100


def build_vocabulary(
    feature_lists: list[list[str]],
) -> tuple[dict[str, int], np.ndarray]:
    """Features kept (by document frequency) and their smoothed inverse document frequency."""
    frequency = Counter(feature for features in feature_lists for feature in set(features))
    kept = sorted(f for f, count in frequency.items() if count >= MIN_DOCUMENT_FREQUENCY)
    counts = np.array([frequency[f] for f in kept], dtype=np.float64)
    idf = np.log((1 + len(feature_lists)) / (1 + counts)) + 1.0
    # Stored as float16 in the model file; round here so training sees what scoring sees.
    return {f: i for i, f in enumerate(kept)}, idf.astype(np.float16).astype(np.float32)


def tfidf_matrix(feature_lists: list[list[str]], vocabulary: dict[str, int], idf: np.ndarray):  # type: ignore[no-untyped-def]
    """The sparse TF-IDF matrix exactly as LinearModel.sparse_scores computes it."""
    from scipy import sparse

    rows: list[int] = []
    columns: list[int] = []
    counts: list[int] = []
    for row, features in enumerate(feature_lists):
        found = Counter(vocabulary[f] for f in features if f in vocabulary)
        rows.extend([row] * len(found))
        columns.extend(found)
        counts.extend(found.values())
    column_array = np.asarray(columns, dtype=np.int64)
    values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[column_array]
    matrix = sparse.csr_matrix(
        (values, (rows, column_array)), shape=(len(feature_lists), len(vocabulary))
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix


@dataclass
class Polarity:
    """A fitted polarity model, and which training texts were held out to calibrate it."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    dense_weights: np.ndarray
    bias: float
    calibration: np.ndarray
    # Each training text's logit from a fit that did not see it (calibration_folds), for the
    # neutral gate to learn from unseen confidence; None without folds.
    out_of_fold: np.ndarray | None


def naive_bayes_ratios(matrix, target: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """log(P(feature | positive) / P(feature | negative)) from presence counts, add-one smoothed:
    sentiment-bearing n-grams get large scales, so the regulariser spares them."""
    present = (matrix > 0).astype(np.float64)
    positive = np.asarray(present[target == 1].sum(axis=0)).ravel() + 1.0
    negative = np.asarray(present[target == 0].sum(axis=0)).ravel() + 1.0
    return np.log((positive / positive.sum()) / (negative / negative.sum()))


def fit_polarity(
    texts: list[str],
    labels: list[int],
    weights: list[float],
    dense: np.ndarray,
    *,
    features: str,
    regularisation: float,
    naive_bayes: bool = False,
    calibration_folds: int = 0,
    balance: list[float] | None = None,
    log: Callable[[str], None],
) -> Polarity:
    """Vocabulary, idf, n-gram weights, dense weights, bias and Platt calibration (fit on a
    held-out share of the training texts, so the probabilities mean what they say).

    With `naive_bayes` each n-gram column is scaled by its naive Bayes log-count ratio before
    the fit (NB-LR, Wang & Manning 2012), and the scale is folded back into the weights.
    With `calibration_folds` the calibration comes from out-of-fold logits instead and the
    model is fitted on every text (nothing is held out). The calibration weighs texts by
    their `balance` factors (class balancing) alone.
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    extract = FEATURES[features]
    feature_lists = [extract(text) for text in texts]
    vocabulary, idf = build_vocabulary(feature_lists)
    log(f"  {features}: {len(texts):,} texts, {len(vocabulary):,} features")
    target, weight = np.asarray(labels), np.asarray(weights)
    balanced = np.asarray(balance) if balance else np.ones(len(texts))
    rng = np.random.default_rng(SEED)
    held_out = rng.random(len(texts)) < CALIBRATION_SHARE
    # Too few held-out texts of each class to calibrate on (tiny data): use the raw logits.
    if calibration_folds:  # every text gets an out-of-fold logit: nothing is held out
        held_out[:] = False
        calibrate = len(set(target.tolist())) == 2 and len(texts) >= MIN_CALIBRATION
    else:
        calibrate = len(set(target[held_out].tolist())) == 2 and held_out.sum() >= MIN_CALIBRATION
    if not calibrate:
        held_out[:] = False
    tfidf = tfidf_matrix(feature_lists, vocabulary, idf)

    def fit(rows: np.ndarray):  # type: ignore[no-untyped-def]
        """The classifier fitted on `rows`, and the n-gram scales it was fitted with."""
        ratios = np.ones(len(vocabulary))
        if naive_bayes:  # from the fitted rows only, or the calibration would see leaked labels
            ratios = naive_bayes_ratios(tfidf[rows], target[rows])
        matrix = sparse.hstack([tfidf @ sparse.diags(ratios), dense]).tocsr()
        classifier = LogisticRegression(
            C=regularisation, solver="liblinear", max_iter=2000, random_state=SEED
        )
        classifier.fit(matrix[rows], target[rows], sample_weight=weight[rows])
        return classifier, ratios, matrix

    calibration = np.array([1.0, 0.0])
    out_of_fold = None
    if calibrate and calibration_folds:
        # Out-of-fold logits calibrate; the shipped fit then uses every text.
        fold = rng.integers(0, calibration_folds, len(texts))
        logits = np.zeros(len(texts))
        for index in range(calibration_folds):
            classifier, _, matrix = fit(fold != index)
            logits[fold == index] = classifier.decision_function(matrix[fold == index])
        calibration = platt_scaling(logits, target, balanced)
        out_of_fold = logits
    classifier, ratios, matrix = fit(~held_out)
    if calibrate and not calibration_folds:
        calibration = platt_scaling(
            classifier.decision_function(matrix[held_out]), target[held_out], balanced[held_out]
        )
    coefficients = classifier.coef_[0]
    sparse_weights = coefficients[: len(vocabulary)] * ratios
    return Polarity(
        vocabulary,
        idf,
        sparse_weights.astype(np.float16).astype(np.float32),
        coefficients[len(vocabulary) :],
        float(classifier.intercept_[0]),
        calibration,
        out_of_fold,
    )


def unseen_logits(
    model: LinearModel, texts: list[str], out_of_fold: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Dense inputs and polarity logits of texts, where a text the model was fitted on gets
    its out-of-fold logit: a gate learnt from in-sample confidence would expect polar posts to
    be surer than unseen posts ever are, and call too many of them neutral."""
    dense, logits = model.polarity_logits(texts)
    for index, text in enumerate(texts):
        if text in out_of_fold:
            logits[index] = out_of_fold[text]
    return dense, logits


def fit_gate(
    model: LinearModel,
    texts: list[str],
    neutral: list[int],
    weights: list[float],
    out_of_fold: dict[str, float],
    *,
    with_lexicon: bool = True,
) -> None:
    """P(neutral) from the model's lexicon scores (unless `with_lexicon` is off) and the
    polarity's confidence, learnt from weighted neutral / polar texts; sets the model's gate
    in place."""
    from sklearn.linear_model import LogisticRegression

    dense, logits = unseen_logits(model, texts, out_of_fold)
    if not with_lexicon:
        dense = dense[:, :0]
    slope, intercept = model.calibration
    confidence = np.abs(2 * sigmoid(slope * logits + intercept) - 1)[:, None]
    inputs = np.hstack([dense, confidence])
    gate = LogisticRegression(C=1.0, max_iter=3000)
    gate.fit(inputs, np.asarray(neutral), sample_weight=np.asarray(weights))
    model.gate_weights = gate.coef_[0].astype(np.float32)
    model.gate_bias = float(gate.intercept_[0])


def platt_scaling(
    logits: np.ndarray, target: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Slope and intercept mapping logits to calibrated probabilities (Platt, 1999), under
    the class-balancing weights (so a balanced fit stays balanced)."""
    from sklearn.linear_model import LogisticRegression

    platt = LogisticRegression(C=1e4).fit(logits[:, None], target, sample_weight=weights)
    return np.array([platt.coef_[0, 0], platt.intercept_[0]])
