"""Fitting one language's model: vocabulary, TF-IDF, logistic regression, calibration, gate."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sentiment.features import FEATURES
from sentiment.linear import LinearModel

# A feature seen in fewer training texts than this is noise, and costs model size.
MIN_DOCUMENT_FREQUENCY = 2
CALIBRATION_SHARE = 0.1
SEED = 20240601
MIN_CALIBRATION = 100


def cached_embeddings(texts: list[str], cache: Path | None) -> np.ndarray:
    """Sentence embeddings of texts, kept in `cache` (a folder) keyed by the texts' hash."""
    from sentiment.encoder import embed

    if cache is None:
        return embed(texts)
    key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:20]
    path = cache / f"{key}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    cache.mkdir(parents=True, exist_ok=True)
    embeddings = embed(texts)
    np.save(path, embeddings)
    return embeddings


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


def fit_polarity(
    texts: list[str],
    labels: list[int],
    weights: list[float],
    dense: np.ndarray,
    *,
    features: str,
    regularisation: float,
    dense_scale: float,
    log: Callable[[str], None],
) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """Vocabulary, idf, n-gram weights, dense weights, bias and Platt calibration (fit on a
    held-out share of the training texts, so the probabilities mean what they say)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    extract = FEATURES[features]
    feature_lists = [extract(text) for text in texts]
    vocabulary, idf = build_vocabulary(feature_lists)
    log(f"  {features}: {len(texts):,} texts, {len(vocabulary):,} features")
    matrix = sparse.hstack([tfidf_matrix(feature_lists, vocabulary, idf), dense * dense_scale])
    matrix = matrix.tocsr()
    target, weight = np.asarray(labels), np.asarray(weights)
    held_out = np.random.default_rng(SEED).random(len(texts)) < CALIBRATION_SHARE
    # Too few held-out texts of each class to calibrate on (tiny data): use the raw logits.
    calibrate = len(set(target[held_out].tolist())) == 2 and held_out.sum() >= MIN_CALIBRATION
    if not calibrate:
        held_out[:] = False
    classifier = LogisticRegression(C=regularisation, solver="liblinear", max_iter=2000)
    classifier.fit(matrix[~held_out], target[~held_out], sample_weight=weight[~held_out])
    calibration = np.array([1.0, 0.0])
    if calibrate:
        logits = classifier.decision_function(matrix[held_out])
        platt = LogisticRegression(C=1e4).fit(logits[:, None], target[held_out])
        calibration = np.array([platt.coef_[0, 0], platt.intercept_[0]])
    coefficients = classifier.coef_[0]
    sparse_weights = coefficients[: len(vocabulary)].astype(np.float16).astype(np.float32)
    dense_weights = coefficients[len(vocabulary) :] * dense_scale
    return (
        vocabulary,
        idf,
        sparse_weights,
        dense_weights,
        float(classifier.intercept_[0]),
        calibration,
    )


def fit_gate(
    model: LinearModel, texts: list[str], neutral: list[int], embeddings: np.ndarray | None
) -> None:
    """P(neutral) from the embedding (when the model has one) and the polarity's confidence,
    learnt from three-class data; sets the model's gate in place."""
    from sklearn.linear_model import LogisticRegression

    model.gate_weights = np.zeros(1 + (embeddings.shape[1] if embeddings is not None else 0))
    model.gate_bias = -50.0  # gate shut while the polarity is computed
    positive = model.probabilities(texts, embeddings)[:, 2]
    confidence = np.abs(2 * positive - 1)[:, None]
    inputs = confidence if embeddings is None else np.hstack([embeddings, confidence])
    gate = LogisticRegression(C=1.0, max_iter=3000).fit(inputs, np.asarray(neutral))
    model.gate_weights = gate.coef_[0].astype(np.float32)
    model.gate_bias = float(gate.intercept_[0])
