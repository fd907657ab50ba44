"""Language of a post: Chinese and English are analysed, everything else is labelled."""

from __future__ import annotations

import re

import py3langid

from sentiment.features import MENTION, URL, strip_emoticon_codes

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
UNDETERMINED = "und"
# Kana (or hangul) at least this share of the CJK letters makes a text Japanese (Korean).
SCRIPT_SHARE = 0.25
# Plain-ASCII text that the model finds at least this likely to be English, relative to its
# best guess, is taken as English. Short English reviews drift far: "Fantastic quality, feels
# premium." is 1/50 as likely English as Occitan, and at a floor of 1/50 one English dev text
# in 80 went unscored (at this floor, one in 2,000, mostly lower-case phrase fragments).
# Real French, German, Spanish or Tagalog posts sit e^-25 and lower; a short Portuguese
# "Bom produto recomendo" (e^-10) is then scored as English, which costs little: a foreign
# text reads as neutral, while an English complaint left unscored never reaches the queue.
ENGLISH_ODDS_FLOOR = -16.0
# Plain-ASCII text with two or more of these words (a fifth of its words at least) is English
# without asking the statistical model, which costs more than scoring the post with `fast`.
# Only words that are not common words of other Latin-script languages.
_ENGLISH_WORDS = frozenset(
    "the and this that with was were you your my it's i'm don't they have has not but are "
    "just what very would could should will been from about there their them because really "
    "love great good bad never ever after when than then which".split()
)
_WORD = re.compile(r"[a-z']+")
DETECT_CHARS = 600


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text` ('zh', 'en', ...) or 'und' when it has no letters.

    Script decides first (cheap and reliable for CJK); the statistical model only tells
    Latin-script languages apart, where short English posts are the common case.
    """
    # The opening tells the language as well as a whole long review does, at a fraction of
    # the cost (py3langid and these patterns read every character).
    text = text[:DETECT_CHARS]
    # Handles, links and emoticon codes are no language: "@OakwoodChina @Oakwood成都" read as
    # Shona, and a Chinese post's Latin handles can outweigh its few Han characters.
    text = strip_emoticon_codes(MENTION.sub(" ", URL.sub(" ", text)))
    letters = _LETTER.findall(text)
    if not letters:
        return UNDETERMINED
    han = len(_HAN.findall(text))
    # A kana or hangul letter or two in a Chinese post is a stray (a typo, "我の"): Japanese and
    # Korean text is made of them.
    for script, language in ((_KANA, "ja"), (_HANGUL, "ko")):
        own = len(script.findall(text))
        if own and own >= SCRIPT_SHARE * (own + han):
            return language
    if han and han >= 0.2 * len(letters):
        return "zh"
    if len(letters) < 12:
        # Too short for statistics: a few Latin words are taken as English, the common case.
        return "en" if all(ch.isascii() for ch in letters) else py3langid.classify(text)[0]
    ascii_only = text.isascii()
    if ascii_only:
        words = _WORD.findall(text.lower())
        marked = sum(word in _ENGLISH_WORDS for word in words)
        if marked >= 2 and marked * 5 >= len(words):
            return "en"
    ranked = py3langid.rank(text)
    best, best_score = ranked[0]
    if best != "en" and ascii_only:
        english = next((score for language, score in ranked if language == "en"), None)
        if english is not None and english - best_score >= ENGLISH_ODDS_FLOOR:
            return "en"
    return str(best)
