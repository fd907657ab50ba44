"""Scoring shared among worker processes gives each text the score it gets alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def run_isolated(code: str) -> str:
    """Run `code` in a new interpreter (its own pool of workers); its stdout."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=240, cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


STARTED_EARLY = """
import multiprocessing
from sentiment import analyse
from sentiment.pool import start_scoring, start_workers
from tests.sentiment.test_pool import TEXTS
start_workers({MODELS}, 2)
print(len(multiprocessing.active_children()))
scored = start_scoring(TEXTS, None, "fast", 2)()
print(scored.records == analyse(TEXTS, None, "fast"))
"""


def test_workers_start_before_the_first_batch_and_score_it_as_alone():
    assert run_isolated(STARTED_EARLY.replace("{MODELS}", "{'fast'}")).split() == ["2", "True"]


def test_workers_that_cannot_load_a_model_leave_the_batch_scored_here():
    # A model unknown to the workers breaks their start; the batch is then scored in this
    # process, the same as ever.
    out = run_isolated(STARTED_EARLY.replace("{MODELS}", "{'no-such-model'}"))
    assert out.split()[-1] == "True"
