"""The sentiment record, language routing, the analysers' direction, complaint topics."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sentiment import analyse, detect_language, match_topics
from sentiment.record import NEGATIVE_THRESHOLD, from_polarity, from_probs


@given(st.floats(0, 1), st.floats(0, 0.5))
def test_polarity_gives_probabilities_that_sum_to_one(positivity, band):
    record = from_polarity(positivity, band, "m")
    assert math.isclose(sum(record.probs.values()), 1.0)
    assert all(0 <= p <= 1 for p in record.probs.values())
    if positivity < 0.5:
        assert record.probs["negative"] >= record.probs["positive"]


def test_polarity_at_the_middle_is_neutral_and_uncertain_at_the_edge_of_the_band():
    assert from_polarity(0.5, 0.15, "m").label == "neutral"
    edge = from_polarity(0.42, 0.15, "m")
    assert edge.probs["neutral"] > 0
    assert from_polarity(0.02, 0.15, "m").label == "negative"


def test_zero_scores_become_an_unsure_neutral_record():
    record = from_probs(0, 0, 0, "m")
    assert (record.label, record.uncertain) == ("neutral", True)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("退款申请了一周还没到账", "zh"),
        ("My refund never arrived and support ignores me", "en"),
        ("ok", "en"),
        ("Fantastic quality, feels premium.", "en"),
        ("Produit de qualité, je recommande.", "fr"),
        ("Das Produkt ist gut, aber die Lieferung war sehr langsam", "de"),
        ("I love it, but the battery was dead after a week", "en"),
        ("配送太慢了 delivery was slow", "zh"),
        ("返金がまだです", "ja"),
        ("東京駅で新幹線に乗り換えました", "ja"),
        # A stray kana in a Chinese review (a typo, or "の" as internet slang) keeps it Chinese.
        ("前台居然不同意ず，真的是气死人了，应变能力太差", "zh"),
        ("今天是开心の一天", "zh"),
        ("환불이 안 됐어요", "ko"),
        ("Le remboursement n'est jamais arrivé, service client inexistant", "fr"),
        ("!!! 123", "und"),
        # Handles and links are no language: a post of handles alone is undetermined.
        ("@OakwoodChina @Oakwood成都 http://t.cn/abc", "und"),
        ("Congratulations over 60K!!!!!!@古川雄辉", "en"),
        ("@united worst airline ever, lost my bag http://t.co/xyz", "en"),
        ("", "und"),
    ],
)
def test_language_is_detected_by_script_then_statistics(text, language):
    assert detect_language(text) == language


def test_baseline_flags_chinese_and_english_complaints_and_not_praise():
    texts = [
        "退款申请了一周还没到账，客服也不回复，太失望了",
        "物流很快，质量很好，非常满意，推荐",
        "Terrible support, my refund never arrived and nobody answers. So disappointed.",
        "Love this kettle, works great and looks beautiful!",
    ]
    records = analyse(texts, model="snownlp")
    assert [record.is_complaint(NEGATIVE_THRESHOLD) for record in records] == [
        True,
        False,
        True,
        False,
    ]
    assert records[0].model.startswith("snownlp")
    assert records[2].model.startswith("vader")


def test_languages_without_an_analyser_are_left_unscored_not_guessed():
    (record,) = analyse(["Der Wasserkocher ist leider nach zwei Tagen kaputt gegangen."])
    assert (record.label, record.uncertain, record.model) == ("neutral", True, "none")


def test_analyse_keeps_the_order_of_mixed_languages():
    texts = ["太差了，垃圾", "awful, broken, worst purchase", "很好很满意", "great, love it"]
    labels = [record.label for record in analyse(texts)]
    assert labels == ["negative", "negative", "positive", "positive"]


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("退款七天了还没到账", ["refund"]),
        ("快递太慢，包裹破损", ["delivery", "quality"]),
        ("I was double charged at checkout", ["payment"]),
        ("The support agent was rude", ["service"]),
        ("Price dropped right after I bought it", ["price"]),
        ("Nice weather today", []),
    ],
)
def test_complaint_topics_match_chinese_and_english_terms(text, topics):
    assert match_topics(text) == topics


def test_latin_terms_match_whole_words_only():
    assert match_topics("a cardigan") == []
    assert match_topics("my card was declined") == ["payment"]


def test_config_can_extend_a_topic_with_terms():
    assert match_topics("想退保") == []
    assert match_topics("想退保", {"refund": ["退保"]}) == ["refund"]
