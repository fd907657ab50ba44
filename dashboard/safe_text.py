"""Text that came from outside (posts, names, notes, alerts, sources) shown exactly as typed.

Streamlit reads Markdown in st.markdown, captions, alerts, expander and button labels and
radio options; Plotly reads a subset of HTML in labels and hover text. Whatever a poster or a
user typed goes through one of these helpers before it reaches such a widget, so nothing in
it becomes a link, an image (a request leaving the page), a colour, maths or markup.
"""

from __future__ import annotations

import html
import re

from dashboard.i18n import t

WORD_JOINER = "\u2060"  # invisible and unbreakable: it separates without showing
# CommonMark lets a backslash escape every ASCII punctuation mark; escaping all of them covers
# emphasis, links, images, HTML, KaTeX ($), tables, headings, lists and :colour[...] directives.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# Streamlit rewrites the parsed text again, where a backslash no longer counts: emoji and icon
# shortcodes (:smile:, :material/home:), bare links and addresses (http:, a@b, www.) and
# arrows (->, <=, --). A word joiner after the character that starts them breaks the match.
_AFTER_ESCAPED = re.compile(r"\\[:@]|\\[-<>=~](?=\\[-<>=~])")
_WWW = re.compile(r"(?i)w(?=ww\\\.)")


def as_text(value: object) -> str:
    """`value` as Markdown that Streamlit shows exactly as typed (nothing in it interpreted)."""
    if value is None:
        return ""
    escaped = _PUNCTUATION.sub(lambda match: "\\" + match.group(0), str(value))
    escaped = _AFTER_ESCAPED.sub(lambda match: match.group(0) + WORD_JOINER, escaped)
    return _WWW.sub(lambda match: match.group(0) + WORD_JOINER, escaped)


def said(key: str, language: str, **values: object) -> str:
    """The string `key` for a Markdown widget, each text value in it shown as typed."""
    shown = {name: as_text(v) if isinstance(v, str) else v for name, v in values.items()}
    return t(key, language, **shown)


def chart_text(value: object) -> str:
    """`value` for a Plotly label or hover text (which reads <b>, <a href> and entities)."""
    return html.escape("" if value is None else str(value), quote=False)
