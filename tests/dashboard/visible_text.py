"""Every text an AppTest run shows a reader, and the check that it is in one script.

Texts are read off each element's message (labels, bodies, options, help, placeholders),
each table's headers and cells, and each Plotly figure's titles, axis titles, legend names,
tick labels, text and hover templates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from google.protobuf.json_format import MessageToDict

# Message fields that hold plumbing, not words a reader sees.
PLUMBING = {
    "id", "formId", "icon", "type", "format", "pageScriptHash", "page", "url", "href",
    "data", "theme", "selectionMode", "key", "autocomplete", "width", "height", "layout",
    "defaultValue", "value" , "rawValues", "editingMode", "columnOrder", "style", "color",
    "labelVisibility", "iconPosition", "source", "deltaColor", "deltaArrow", "tooltip",
    "spec", "columns", "arrowData", "config", "dataframeColumns", "chartType", "queryString",
}  # fmt: skip
# Values that name an enum member or an element (CAPTION, STRETCH, a hex id), not words.
PLUMBING_VALUE = re.compile(r"[A-Z][A-Z_]+|[0-9a-f]{24,}")
# Plotly's template placeholders and tags ("%{text}<extra></extra>") are not shown as such.
TEMPLATE = re.compile(r"%\{[^}]*\}|</?\w+>")
FIGURE_FIELDS = {"title", "text", "name", "hovertemplate", "ticktext", "texttemplate"}
CODE_SPAN = re.compile(r"`[^`]*`")
# A run of Latin words (what would read as English), and a run of CJK characters and marks.
LATIN_RUN = re.compile(r"[A-Za-z][\w'’.\-]*(?:[ ,:/&()]+[A-Za-z][\w'’.\-]*)*")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _strings(value: object, figure: bool = False) -> Iterator[str]:
    """The strings in a message dict (or a figure's JSON), plumbing fields left out."""
    if isinstance(value, dict):
        for name, inner in value.items():
            if figure and name not in FIGURE_FIELDS and not isinstance(inner, dict | list):
                continue
            if not figure and name in PLUMBING:
                continue
            yield from _strings(inner, figure)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, figure)
    elif isinstance(value, str) and not PLUMBING_VALUE.fullmatch(value):
        yield TEMPLATE.sub(" ", value) if figure else value


def visible_texts(app) -> list[str]:
    """Every text the run shows, element by element."""
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and node.type not in ("dataframe", "arrow_data_frame"):
            found.extend(_strings(MessageToDict(proto)))
        if node.type == "plotly_chart":
            found.extend(_strings(json.loads(proto.spec), figure=True))
        if node.type in ("dataframe", "arrow_data_frame"):
            frame = node.value
            found.extend(str(column) for column in frame.columns)
            found.extend(str(cell) for column in frame.columns for cell in frame[column]
                         if isinstance(cell, str))  # fmt: skip
        for child in getattr(node, "children", {}).values():
            walk(child)

    for block in app._tree.children.values():
        walk(block)
    return found


def mixed_script(texts: list[str], language: str, outside: str, allowed: set[str]) -> list[str]:
    """The texts carrying the other script where it does not belong: in English a CJK run,
    in Chinese a Latin word of three letters or more, unless it is in `allowed` or the run
    it sits in comes from outside (a post, a name, a source: found in `outside`)."""
    wrong = []
    for text in texts:
        shown = CODE_SPAN.sub(" ", text).replace("\\", "").replace("\u2060", "")
        if language == "en":
            runs = [run for run in CJK_RUN.findall(shown) if run not in outside]
        else:
            runs = [
                run for run in LATIN_RUN.findall(shown)
                if any(word not in allowed for word in LATIN_WORD.findall(run))
                and run.strip(" ,:/&()") not in outside
            ]  # fmt: skip
        if runs:
            wrong.append(f"{runs} in {text!r}")
    return wrong
