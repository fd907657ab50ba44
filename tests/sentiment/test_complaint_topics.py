"""Topics with their own polarity, judged by the shipped default model clause by clause."""

from __future__ import annotations

import pytest

from sentiment import analyse, detect_language
from sentiment.complaint_topics import clauses, complaint_topics


def topics_of(texts: list[str]) -> list[list[str]]:
    """Complaint topics of texts through the real analyser, as the pipeline finds them."""
    languages = [detect_language(text) for text in texts]
    return complaint_topics(texts, languages, analyse(texts, languages), analyse)


def test_clauses_break_at_punctuation_and_contrast_words():
    assert clauses("快递很快，但是退款一直不到账") == ["快递很快", "但是退款一直不到账"]
    assert clauses("Fast shipping but the refund never came. Sad!") == [
        "Fast shipping",
        "but the refund never came",
        "Sad",
    ]


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("快递很快，但是退款一直不到账", ["refund"]),
        ("售后很贴心", []),
        ("物流超快，第二天就到了，包装也很好", []),
        ("退款申请了一周还没到账，客服也不回复", ["refund", "service"]),
        ("Fast delivery, but the refund for the missing item never came", ["refund"]),
        ("Customer service was friendly and very helpful, thank you", []),
        ("Still no refund and customer service ignores my emails", ["refund", "service"]),
    ],
)
def test_a_topic_counts_only_where_the_post_complains_about_it(text, topics):
    assert topics_of([text]) == [topics]


def test_a_post_without_topic_terms_has_none_and_order_is_kept():
    texts = ["今天天气不错", "质量很差，用了两天就坏了", "Shipping was quick, packaging perfect"]
    assert topics_of(texts) == [[], ["quality"], []]
