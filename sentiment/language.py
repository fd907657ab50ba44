"""Language of a post: Chinese and English are analysed, everything else is labelled."""

from __future__ import annotations

import re

import py3langid

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
UNDETERMINED = "und"
# Plain-ASCII text that the model finds at least this likely to be English, relative to its
# best guess, is taken as English. Short English reviews drift far: "Fantastic quality, feels
# premium." is 1/50 as likely English as Occitan, and at a floor of 1/50 one English dev text
# in 80 went unscored (at this floor, one in 2,000, mostly lower-case phrase fragments).
# Real French, German, Spanish or Tagalog posts sit e^-25 and lower; a short Portuguese
# "Bom produto recomendo" (e^-10) is then scored as English, which costs little: a foreign
# text reads as neutral, while an English complaint left unscored never reaches the queue.
ENGLISH_ODDS_FLOOR = -16.0


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text` ('zh', 'en', ...) or 'und' when it has no letters.

    Script decides first (cheap and reliable for CJK); the statistical model only tells
    Latin-script languages apart, where short English posts are the common case.
    """
    letters = _LETTER.findall(text)
    if not letters:
        return UNDETERMINED
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    han = len(_HAN.findall(text))
    if han and han >= 0.2 * len(letters):
        return "zh"
    if len(letters) < 12:
        # Too short for statistics: a few Latin words are taken as English, the common case.
        return "en" if all(ch.isascii() for ch in letters) else py3langid.classify(text)[0]
    ranked = py3langid.rank(text)
    best, best_score = ranked[0]
    if best != "en" and text.isascii():
        english = next((score for language, score in ranked if language == "en"), None)
        if english is not None and english - best_score >= ENGLISH_ODDS_FLOOR:
            return "en"
    return str(best)
