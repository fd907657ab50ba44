"""Which keys' terms a text names, in one pass: an Aho-Corasick automaton over every term, with
whole-word matching for Latin terms as a regex's `\\b` reads it."""

from __future__ import annotations

import ahocorasick


def _is_word(text: str, index: int) -> bool:
    """Whether text[index] is a word character as a regex's \\w reads it (outside: no)."""
    if not 0 <= index < len(text):
        return False
    character = text[index]
    return character.isalnum() or character == "_"


def _boundary(text: str, index: int) -> bool:
    """Whether a regex's \\b holds before text[index]."""
    return _is_word(text, index - 1) != _is_word(text, index)


class TermMatcher:
    """Every lower-cased term of every topic in one Aho-Corasick automaton: one pass over a
    text finds every place a term occurs. A Latin term counts only as a whole word, as the
    regex `\\bterm\\b` reads it ("cost" is no topic inside "costume"); a Chinese term
    counts anywhere."""

    def __init__(self, table: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.order = [key for key, _ in table]
        self.automaton = ahocorasick.Automaton()
        for key, terms in table:
            for term in terms:
                lowered = term.lower()
                keys, length, whole_word = self.automaton.get(lowered, ((), len(lowered), False))
                self.automaton.add_word(
                    lowered, ((*keys, key), length, whole_word or term.isascii())
                )
        self.automaton.make_automaton()

    def match(self, text: str) -> list[str]:
        """Keys of the topics the text names, in table order."""
        if len(self.automaton) == 0:
            return []
        lowered = text.lower()
        found: set[str] = set()
        for end, (keys, length, whole_word) in self.automaton.iter(lowered):
            start = end - length + 1
            if not whole_word or (_boundary(lowered, start) and _boundary(lowered, end + 1)):
                found.update(keys)
        return [key for key in self.order if key in found]
