"""The linear-time topic matcher and VADER give the answers of the slow forms they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from sentiment.english import linear_vader
from sentiment.topics import TOPICS, match_topics

TERMS = sorted({term for topic in TOPICS.values() for term in topic.terms})


def regex_topics(text: str, extra: dict[str, list[str]] | None = None) -> list[str]:
    """The matcher as it was: one regex per topic, `\\bterm\\b` for Latin terms."""
    found = []
    for key, topic in TOPICS.items():
        terms = [*topic.terms, *(extra or {}).get(key, [])]
        parts = [
            rf"\b{re.escape(t.lower())}\b" if t.isascii() else re.escape(t.lower())
            for t in sorted(set(terms), key=len, reverse=True)
        ]
        if re.search("|".join(parts), text.lower()):
            found.append(key)
    return found


# Texts built from topic terms, their pieces and the characters that decide a word boundary.
pieces = st.one_of(
    st.sampled_from(TERMS),
    st.sampled_from(TERMS).map(lambda term: term[1:] or term),
    st.sampled_from([" ", "_", "-", "s", "X", "é", "，", "!", "1", "'", "\n"]),
    st.text(max_size=4),
)
texts = st.lists(pieces, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_topics_are_the_regex_topics(text: str) -> None:
    assert match_topics(text) == regex_topics(text)


@settings(max_examples=100, deadline=None)
@given(texts, st.lists(st.sampled_from(["闪送", "cs", "hold", "Ship-it"]), max_size=3))
def test_configured_terms_are_matched_as_the_regex_matched_them(
    text: str, extra: list[str]
) -> None:
    table = {"delivery": extra}
    assert match_topics(text, table) == regex_topics(text, table)


def test_a_latin_term_inside_a_longer_word_is_no_topic() -> None:
    assert match_topics("what a lovely costume") == []
    assert match_topics("the cost was high, 退款 slow") == ["refund", "price"]
    assert match_topics("cost_x and x_cost") == []


WORDS = st.sampled_from(
    ["no", "not", "never", "so", "this", "without", "doubt", "kind", "of", "least", "at",
     "very", "but", "good", "bad", "GREAT", "the", "shit", "bomb", "hell", "yeah", "sort",
     "cut", "me", "some", "slack", ":)", "!!", "isn't", "horrible", "barely", "😀", "💔",
     "x😡", "❤️", " ", "\t"]
)  # fmt: skip


LINEAR, ORIGINAL = linear_vader(), SentimentIntensityAnalyzer()


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
def test_linear_vader_scores_what_vader_scores(text: str) -> None:
    assert LINEAR.polarity_scores(text) == ORIGINAL.polarity_scores(text)
