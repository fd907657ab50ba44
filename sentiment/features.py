"""Text to n-gram features: the one definition shared by training and scoring."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import repeat
from operator import add

# Weibo emoticon codes such as [哈哈] and [泪] are removed: labelled Weibo data was labelled
# by them, and a model that reads them learns the codes instead of the words.
EMOTICON_CODE = re.compile(r"\[[^\[\]\s]{1,10}\]")
URL = re.compile(r"https?://\S+|www\.\S+")
MENTION = re.compile(r"@[\w\-\u4e00-\u9fff]+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_EN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]+")
# Sentiment sits in the first few hundred characters; longer posts cost time, not accuracy.
MAX_CHARS = 600


def normalise(text: str) -> str:
    """Lower case, links and @mentions replaced by placeholders, digits folded, spaces collapsed."""
    text = URL.sub(" http ", text[:MAX_CHARS].lower())
    text = MENTION.sub(" @user ", text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def strip_emoticon_codes(text: str) -> str:
    """The text without bracketed emoticon codes."""
    return EMOTICON_CODE.sub("", text)


@cache
def _jieba():  # type: ignore[no-untyped-def]
    """jieba's tokenizer, initialised once (it builds its prefix dictionary on first use)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def chinese_character_features(text: str) -> list[str]:
    """Character 1-3-grams of the text without emoticon codes and spaces."""
    compact = strip_emoticon_codes(normalise(text)).replace(" ", "")
    # Built by C-level maps rather than a slice per gram: the same grams, in the same order.
    bigrams = list(map(add, compact, compact[1:]))
    return [*compact, *bigrams, *map(add, bigrams, compact[2:])]


def chinese_features(text: str) -> list[str]:
    """Character 1-3-grams, and jieba words with their bigrams (needs `pip install jieba`)."""
    features = chinese_character_features(text)
    text = strip_emoticon_codes(normalise(text))
    words = [word for word in _jieba().lcut(text, HMM=False) if word.strip()]
    features.extend("w:" + word for word in words if len(word) > 1)
    features.extend(f"b:{a}|{b}" for a, b in zip(words, words[1:], strict=False))
    return features


@lru_cache(maxsize=200_000)
def _word_grams(word: str) -> tuple[str, ...]:
    """Character 3-5-grams of a word padded with < and > (cached: words repeat across posts)."""
    if len(word) <= 3 or not word.isalpha():
        return ()
    padded = f"<{word}>"
    return tuple(padded[i : i + size] for size in (3, 4, 5) for i in range(len(padded) - size + 1))


def _english_words(text: str) -> list[str]:
    """The text's English tokens, normalised."""
    return _EN_TOKEN.findall(normalise(text))


def _english_word_features(words: list[str]) -> list[str]:
    """Word unigrams and bigrams."""
    features = ["w:" + word for word in words]
    features.extend(f"b:{a}|{b}" for a, b in zip(words, words[1:], strict=False))
    return features


def english_features(text: str) -> list[str]:
    """Word unigrams and bigrams, and character 3-5-grams inside words (for misspellings)."""
    words = _english_words(text)
    features = _english_word_features(words)
    for word in words:
        features.extend(_word_grams(word))
    return features


def feature_indexes(name: str, vocabulary: dict[str, int]) -> Callable[[str], list[int]]:
    """Text -> the vocabulary indexes of its `FEATURES[name]` features (-1 for unknown ones,
    which may be left out): a scoring model's lookup, with an English word's character grams
    looked up once per word rather than once per appearance."""
    lookup = vocabulary.get
    if name != "en-words":
        extract = FEATURES[name]
        return lambda text: list(map(lookup, extract(text), repeat(-1)))

    @lru_cache(maxsize=200_000)
    def gram_indexes(word: str) -> tuple[int, ...]:
        return tuple(index for gram in _word_grams(word) if (index := lookup(gram)) is not None)

    def indexes(text: str) -> list[int]:
        words = _english_words(text)
        found = list(map(lookup, _english_word_features(words), repeat(-1)))
        for word in words:
            found.extend(gram_indexes(word))
        return found

    return indexes


# Named feature sets: a model file records the name of the one it was trained with.
FEATURES = {
    "zh-words": chinese_features,
    "zh-characters": chinese_character_features,
    "en-words": english_features,
}
