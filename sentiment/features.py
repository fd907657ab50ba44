"""Text to n-gram features: the one definition shared by training and scoring."""

from __future__ import annotations

import re
from functools import cache

# Weibo emoticon codes such as [哈哈] and [泪]; kept as features of their own, and also
# removed from the text the n-grams see, so the words are learnt without them.
EMOTICON_CODE = re.compile(r"\[[^\[\]\s]{1,10}\]")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@[\w\-\u4e00-\u9fff]+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_EN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]+")
# Sentiment sits in the first few hundred characters; longer posts cost time, not accuracy.
MAX_CHARS = 600


def normalise(text: str) -> str:
    """Lower case, links and @mentions replaced by placeholders, digits folded, spaces collapsed."""
    text = _URL.sub(" http ", text[:MAX_CHARS].lower())
    text = _MENTION.sub(" @user ", text)
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


def chinese_features(text: str) -> list[str]:
    """Emoticon codes, character 1-3-grams and jieba words with their bigrams."""
    text = normalise(text)
    features = ["e:" + code for code in EMOTICON_CODE.findall(text)]
    text = strip_emoticon_codes(text)
    compact = text.replace(" ", "")
    for size in (1, 2, 3):
        features.extend(compact[i : i + size] for i in range(len(compact) - size + 1))
    words = [word for word in _jieba().lcut(text, HMM=False) if word.strip()]
    features.extend("w:" + word for word in words if len(word) > 1)
    features.extend(f"b:{a}|{b}" for a, b in zip(words, words[1:], strict=False))
    return features


def english_features(text: str) -> list[str]:
    """Word unigrams and bigrams, and character 3-5-grams inside words (for misspellings)."""
    words = _EN_TOKEN.findall(normalise(text))
    features = ["w:" + word for word in words]
    features.extend(f"b:{a}|{b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        if len(word) > 3 and word.isalpha():
            padded = f"<{word}>"
            for size in (3, 4, 5):
                features.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return features


FEATURES = {"zh": chinese_features, "en": english_features}
