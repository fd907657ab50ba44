"""Scoring shared among worker processes gives each text the score it gets alone."""

from __future__ import annotations

import pytest

from sentiment import analyse, detect_language
from sentiment.complaint_topics import complaint_topics
from sentiment.pool import MIN_POOLED_TEXTS, TopicRules, analyse_pooled, start_scoring
from tests.hundredfold.test_privacy_cli import ANGRY

TEXTS = [
    f"{text} ({number})"
    for number in range(40)
    for text in (
        ANGRY,
        "物流很快，包装完好，非常满意",
        "The app keeps crashing after the update",
        "还行吧，一般般",
    )  # fmt: skip
]


@pytest.mark.parametrize("model", ["default", "fast"])
def test_a_pooled_batch_scores_every_text_as_it_scores_alone(model):
    assert len(TEXTS) >= MIN_POOLED_TEXTS  # big enough to be handed to the workers
    languages = [detect_language(text) for text in TEXTS]
    pooled = analyse_pooled(TEXTS, languages, model, workers=2)
    pairs = zip(TEXTS, languages, strict=True)
    alone = [analyse([text], [language], model)[0] for text, language in pairs]
    assert [(r.label, round(r.negative, 6)) for r in pooled] == [
        (r.label, round(r.negative, 6)) for r in alone
    ]
    assert {r.model for r in pooled} == {r.model for r in alone}


def test_languages_are_detected_in_the_workers_when_not_given():
    pooled = analyse_pooled(TEXTS, None, "fast", workers=2)
    assert pooled == analyse(TEXTS, None, "fast")


def test_complaint_topics_read_in_the_workers_are_those_read_here():
    said = (
        "快递很快，但是退款一直不到账",
        "售后很贴心",
        "The refund never came, but delivery was quick",
        "退款太慢了，客服也不理人",
    )
    texts = [f"{text} ({n})" for n in range(20) for text in said]
    rules = TopicRules({"refund": ["退保"]}, 0.5)
    pooled = start_scoring(texts, None, "fast", 2, rules)()
    languages = [detect_language(text) for text in texts]
    records = analyse(texts, languages, "fast")

    def score(clauses, clause_languages):
        return analyse(clauses, clause_languages, "fast")

    here = complaint_topics(texts, languages, records, score, rules.extra_terms, 0.5)
    assert pooled.languages == languages
    assert pooled.topics == here
    assert "refund" in pooled.topics[0] and "delivery" not in pooled.topics[0]
