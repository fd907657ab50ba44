"""Quality figures for labelled data: accuracy, macro-F1, per-class precision and recall,
expected calibration error. Pure numpy, so `hundredfold eval` needs no training libraries."""

from __future__ import annotations

import numpy as np

from sentiment.record import LABELS

BINARY_LABELS = ("negative", "positive")
CALIBRATION_BINS = 10


def predictions(probabilities: np.ndarray, binary: bool) -> tuple[np.ndarray, np.ndarray]:
    """Predicted class indexes and the probability of the prediction.

    Binary: negative (0) when P(negative) > P(positive), else positive (1), with the two
    probabilities renormalised; three classes: the most probable of negative/neutral/positive.
    """
    if binary:
        polar = probabilities[:, [0, 2]]
        totals = polar.sum(axis=1, keepdims=True)
        polar = np.where(totals > 0, polar / np.where(totals > 0, totals, 1), 0.5)
        predicted = (polar[:, 0] <= polar[:, 1]).astype(int)
        return predicted, polar.max(axis=1)
    return probabilities.argmax(axis=1), probabilities.max(axis=1)


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    if len(confidence) == 0:
        return 0.0
    bins = np.minimum((confidence * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    error = 0.0
    for index in range(CALIBRATION_BINS):
        members = bins == index
        if members.any():
            gap = abs(correct[members].mean() - confidence[members].mean())
            error += members.mean() * gap
    return float(error)


def classification_report(labels: np.ndarray, predicted: np.ndarray, binary: bool) -> dict:
    """Accuracy, macro-F1 and per-class precision, recall and support."""
    names = BINARY_LABELS if binary else LABELS
    per_class = {}
    f1_scores = []
    for index, name in enumerate(names):
        true_positive = int(((predicted == index) & (labels == index)).sum())
        predicted_count = int((predicted == index).sum())
        actual_count = int((labels == index).sum())
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / actual_count if actual_count else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": actual_count,
        }
        if actual_count:
            f1_scores.append(f1)
    return {
        "accuracy": round(float((labels == predicted).mean()) if len(labels) else 0.0, 4),
        "macro_f1": round(float(np.mean(f1_scores)) if f1_scores else 0.0, 4),
        "per_class": per_class,
    }


def topic_precision(expected: list[set[str]], found: list[set[str]]) -> dict:
    """Micro precision and recall of matched topics against labelled topics, and per topic."""
    keys = sorted(set().union(*expected, *found)) if expected else []
    report = {}
    for key in keys:
        hits = sum(key in e and key in f for e, f in zip(expected, found, strict=True))
        claimed = sum(key in f for f in found)
        actual = sum(key in e for e in expected)
        report[key] = {
            "precision": round(hits / claimed, 4) if claimed else None,
            "recall": round(hits / actual, 4) if actual else None,
        }
    hits = sum(len(e & f) for e, f in zip(expected, found, strict=True))
    claimed = sum(len(f) for f in found)
    actual = sum(len(e) for e in expected)
    return {
        "precision": round(hits / claimed, 4) if claimed else 0.0,
        "recall": round(hits / actual, 4) if actual else 0.0,
        "per_topic": report,
    }


def complaint_figures(labels: np.ndarray, is_complaint: list[bool]) -> dict:
    """How the complaint flag (P(negative) >= threshold) serves the queue: the share of texts
    flagged, the share of negative texts (label 0) flagged, and the share of flags that are
    negative texts."""
    flagged = np.asarray(is_complaint, dtype=bool)
    negative = labels == 0
    return {
        "complaint_share": round(float(flagged.mean()) if len(flagged) else 0.0, 4),
        "complaint_recall": round(float(flagged[negative].mean()) if negative.any() else 0.0, 4),
        "complaint_precision": round(float(negative[flagged].mean()) if flagged.any() else 0.0, 4),
    }
