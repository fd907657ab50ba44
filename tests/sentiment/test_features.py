"""A model's feature lookup finds exactly the vocabulary entries of the text's features."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sentiment.features import FEATURES, chinese_character_features, feature_indexes

PIECES = st.sampled_from(
    ["good", "goood", "bad", "not", "refund", "never", "again", "the", "I'm", "!!", "42",
     "@shop", "http://x.io/a", "退款", "很快", "快递", "不", "好", "[哈哈]", " ", "\n"]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=30).map(" ".join)


def looked_up(name: str, vocabulary: dict[str, int], text: str) -> Counter:
    """The indexes found, counted, as the model's lookup gives them (unknown ones dropped)."""
    return Counter(index for index in feature_indexes(name, vocabulary)(text) if index >= 0)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.sampled_from(["zh-characters", "en-words"]))  # the shipped models' sets
def test_the_lookup_counts_each_known_feature_as_often_as_the_text_has_it(
    text: str, name: str
) -> None:
    features = FEATURES[name](text)
    # Every other feature is known, so some are found and some are not.
    vocabulary = {feature: index for index, feature in enumerate(sorted(set(features))[::2])}
    expected = Counter(vocabulary[f] for f in features if f in vocabulary)
    assert looked_up(name, vocabulary, text) == expected


def test_chinese_grams_are_every_one_two_and_three_character_run() -> None:
    assert chinese_character_features("退款慢 [哈哈]") == [
        "退",
        "款",
        "慢",
        "退款",
        "款慢",
        "退款慢",
    ]
