"""Reduce HTML and hostile strings to the plain text a person reads."""

from __future__ import annotations

import re
import unicodedata

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from collectors.base import MAX_BODY_CHARS

# Tags whose boundaries are line breaks when read as text.
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
}
# Tags whose content is never text for a reader.
_DROPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "svg",
    "head",
    "title",
    "textarea",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "select",
    "math",
}
# A CDATA section inside HTML is no text for a reader (feeds' CDATA is unwrapped before this).
_CDATA = re.compile(r"<!\[CDATA\[.*?(?:\]\]>|$)", re.DOTALL)
# Format characters (category Cf) that carry meaning: zero-width non-joiner and joiner (👩‍💻,
# Indic conjuncts) and the tag characters of subdivision flags (🏴 England). Every other
# control or format character goes: bidi overrides and isolates, zero-width spaces, BOMs.
_JOINERS = "\u200c\u200d"
_KEPT_FORMAT = "\n\t" + _JOINERS + "".join(map(chr, range(0xE0020, 0xE0080)))
# A flag's tag sequence (letters and digits, then CANCEL TAG) is kept; any other tag goes.
_TAG_OR_FLAG = re.compile(
    "(\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,6}\U000e007f)"
    "|[\U000e0020-\U000e007f]"
)
_JOINER_RUN = re.compile(f"[{_JOINERS}]{{2,}}")
# A joiner joins two characters: at a line's edge or beside a space it is only invisible.
_LOOSE_JOINER = re.compile(f"(?<![^\\s{_JOINERS}])[{_JOINERS}]|[{_JOINERS}](?![^\\s{_JOINERS}])")
_SURROGATE = re.compile("[\ud800-\udfff]")
_MARKUP_HINT = re.compile(r"<\s*[a-zA-Z!/][^>]*>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def looks_like_html(text: str) -> bool:
    """Whether `text` carries tags or entities worth parsing as HTML."""
    return bool(_MARKUP_HINT.search(text))


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment: scripts dropped, blocks on their own lines."""
    # lxml parses as browsers do (an unterminated comment runs to the end, for one), so
    # the text kept is the text a reader would have seen.
    # A lone surrogate (JSON can carry "\\ud800") is no character, and the parser cannot encode it.
    soup = BeautifulSoup(_CDATA.sub("", _SURROGATE.sub("", html)), "lxml")
    parts: list[str] = []
    _collect_text(soup, parts)
    return clean_text("".join(parts))


def _collect_text(node: Tag, parts: list[str]) -> None:
    """Append the text under `node`, with a newline around each block element."""
    for child in node.children:
        if isinstance(child, Comment | CData | Declaration | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag):
            if child.name in _DROPPED_TAGS:
                continue
            block = child.name in _BLOCK_TAGS
            if block:
                parts.append("\n")
            _collect_text(child, parts)
            if block:
                parts.append("\n")


def plainly_printable(text: str) -> bool:
    """Printable but for line breaks and tabs: no control, format or tag character is
    printable, so such a text has nothing for `drop_invisible` to drop (most texts)."""
    return text.replace("\n", "").replace("\t", "").isprintable()


def drop_invisible(text: str) -> str:
    """The text without control and invisible characters, joiners that join kept."""
    text = "".join(ch for ch in text if ch in _KEPT_FORMAT or unicodedata.category(ch)[0] != "C")
    text = _TAG_OR_FLAG.sub(_flag_or_nothing, text)
    text = _JOINER_RUN.sub(lambda match: match[0][0], text)
    return _LOOSE_JOINER.sub("", text)


def clean_text(text: str) -> str:
    """Normalise whitespace and drop control and invisible characters; cap the length of one
    post. Joiners that join (emoji sequences, Indic and Arabic scripts) are kept."""
    text = unicodedata.normalize("NFC", text)
    if not plainly_printable(text):
        text = drop_invisible(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    # Cut only past the cap and its marker, so cleaning a cut text again leaves it as it is.
    if len(text) > MAX_BODY_CHARS + 2:
        cut = _TAG_OR_FLAG.sub(_flag_or_nothing, text[:MAX_BODY_CHARS])  # a flag cut in half
        text = _LOOSE_JOINER.sub("", cut.rstrip()).rstrip() + " …"
    return text


def _flag_or_nothing(match: re.Match[str]) -> str:
    """A whole subdivision flag as it was; a stray tag character as nothing."""
    return match[1] or ""


def body_from_markup(value: str, keep_literal: bool = False) -> tuple[str, str | None]:
    """(plain text, raw HTML or None) for a field that may or may not be HTML.

    With `keep_literal`, markup that reads as nothing (a review that is just
    "<script>alert(1)</script>") is kept as the literal text the customer typed: shown as
    text, it loses nothing and runs nothing.
    """
    if looks_like_html(value):
        text = html_to_text(value)
        return (text or clean_text(value) if keep_literal else text), value
    return clean_text(value), None
