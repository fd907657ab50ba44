"""The default model's parts: the reading window, the pieces, the operating point, and the
shipped encoder itself."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sentiment import analyse
from sentiment.encoder_model import at_operating_point, encoder_model, flagged
from sentiment.models import EncoderAnalyser, model_directory
from sentiment.pieces import MAX_TOKENS, Pieces, prepared, reading_window
from sentiment.record import NEGATIVE_THRESHOLD

LONG_REVIEW = (
    "Disappointing kettle. "
    + "It arrived on time and the box was fine, the colour matches the photos. " * 20
    + "After two weeks the switch broke and I want my money back."
)


def test_a_short_text_is_read_whole_and_a_long_review_by_its_opening_and_verdict():
    assert reading_window("  质量 很好\n推荐  ", 400) == "质量 很好 推荐"
    window = reading_window(LONG_REVIEW, 400)
    assert len(window) <= 400
    assert window.startswith("Disappointing kettle.")
    assert window.endswith("After two weeks the switch broke and I want my money back.")


@given(st.text(max_size=2000), st.integers(min_value=40, max_value=600))
def test_the_reading_window_is_bounded_for_any_text(text, limit):
    assert len(reading_window(text, limit)) <= max(limit, 1) + 1
    assert prepared(text)  # never empty: the encoder always gets a token to read


def test_pieces_pad_and_mask_a_batch_and_cut_long_texts():
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "\u2581", "\u2581good", "好", "\u2581bad"]
    scores = np.array([0, 0, 0, 0, -2.0, -1.0, -1.0, -1.0], dtype=np.float32)
    tokeniser = Pieces(pieces, scores, {0xFF01: "!"})
    assert tokeniser.pieces("good  bad") == ["\u2581good", "\u2581bad"]
    ids, mask = tokeniser.batch(["good", "good bad 好", "bad " * 500], MAX_TOKENS)
    assert ids.shape[0] == 3 and ids.shape[1] == MAX_TOKENS
    assert ids[0, 0] == tokeniser.bos and ids[0, 2] == tokeniser.eos
    assert ids[0, 3] == tokeniser.pad and mask[0].sum() == 3
    assert mask[2].sum() == MAX_TOKENS and ids[2, -1] == tokeniser.eos


@given(
    st.floats(0.001, 0.998),
    st.floats(0.0, 1.0),
    st.floats(0.02, 0.98),
)
def test_the_operating_point_moves_the_flag_and_keeps_a_distribution(negative, split, point):
    rest = 1.0 - negative
    raw = np.array([[negative, rest * split, rest * (1 - split)]])
    moved = at_operating_point(raw, point)[0]
    assert math.isclose(moved.sum(), 1.0, abs_tol=1e-9)
    if not math.isclose(negative, point, abs_tol=1e-9):
        assert (moved[0] >= NEGATIVE_THRESHOLD) == bool(flagged(raw, point)[0])
    # Negative against positive stays the model's own decision at points up to 0.5 (the
    # shipped ones): the operating point only takes from the neutral class's share.
    if point <= 0.5 and not math.isclose(raw[0, 0], raw[0, 2], abs_tol=1e-9):
        assert (moved[0] > moved[2]) == (raw[0, 0] > raw[0, 2])
    if rest * split > 1e-6 and rest * (1 - split) > 1e-6:
        assert math.isclose(moved[1] / moved[2], split / (1 - split), rel_tol=1e-6)


def test_a_text_more_positive_than_negative_is_never_a_complaint():
    raw = np.array([[0.45, 0.05, 0.5], [0.45, 0.4, 0.15], [0.2, 0.7, 0.1]])
    assert list(flagged(raw, 0.3)) == [False, True, False]
    assert list(at_operating_point(raw, 0.3)[:, 0] >= NEGATIVE_THRESHOLD) == [False, True, False]


def test_the_shipped_encoder_reads_both_languages_and_names_its_operating_points():
    model = encoder_model(model_directory())
    for language in ("zh", "en"):
        assert 0.05 <= EncoderAnalyser(language).operating_point <= 0.95
    probabilities = model.probabilities(
        ["质量太差了，用了两天就坏了", "物流很快，非常满意", "It broke after one day", "Love it"]
    )
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert list(probabilities.argmax(axis=1)[[0, 2]]) == [0, 0]
    assert list(probabilities.argmax(axis=1)[[1, 3]]) == [2, 2]


def test_a_long_review_is_judged_by_its_verdict_and_texts_keep_their_order():
    texts = ["Great", LONG_REVIEW, "很好很好", "太差了"]
    records = analyse(texts, ["en", "en", "zh", "zh"])
    assert [record.label for record in records] == ["positive", "negative", "positive", "negative"]
    assert all(record.model.startswith("hundredfold-default-") for record in records)
