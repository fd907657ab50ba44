"""CSV exports open in a spreadsheet as data: no text cell starts a formula; numbers stay."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.overview_parts import posts_csv
from data import connect
from data.csv_safety import FORMULA_STARTS, csv_text
from data.trends import View, posts_in_view
from tests.dashboard.hostile_store import FORMULAS, hostile_store


def read_back(text: str) -> list[list[str]]:
    """The rows a spreadsheet (or csv.reader) reads from `text`."""
    return list(csv.reader(io.StringIO(text, newline="")))


@given(st.text(), st.floats(allow_nan=False, allow_infinity=False))
def test_no_text_cell_read_back_starts_a_formula_and_safe_text_is_unchanged(text, number):
    frame = pd.DataFrame({"text": [text], "score": [number]})
    [header, [cell, score]] = read_back(csv_text(frame))
    assert header == ["text", "score"]
    if text.startswith(FORMULA_STARTS):
        assert cell == "'" + text
    else:
        assert cell == text
        assert not cell.startswith(FORMULA_STARTS)
    assert float(score) == number  # a negative number is a number, not a neutralised formula


@given(st.lists(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", " ", ","]), max_size=6))
def test_cells_built_from_formula_characters_never_start_one(characters):
    text = "".join(characters)
    [_, [cell]] = read_back(csv_text(pd.DataFrame({"text": [text]})))
    assert not cell.startswith(FORMULA_STARTS)
    assert cell.removeprefix("'") == text or cell == text


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory) -> str:
    """The hostile store: among its posts, titles, bodies and authors that are formulas."""
    folder = tmp_path_factory.mktemp("export")
    return hostile_store(f"sqlite:///{folder / 'export.db'}", "http://127.0.0.1:9",
                         datetime.now(UTC)).url  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_overview_export_neutralises_formulas_in_text_and_author(formula_store, language):
    now = datetime.now(UTC)
    everything = posts_in_view(connect(formula_store), View(now - timedelta(days=30), now, 0.5),
                               False, None)  # fmt: skip
    [header, *rows] = read_back(posts_csv(everything, "Asia/Shanghai", language, None))
    author, text, confidence = header.index(header[3]), header.index(header[4]), 6
    planted = [row for row in rows if row[author].removeprefix("'") in FORMULAS]
    assert sorted(row[author] for row in planted) == sorted("'" + f for f in FORMULAS)
    assert all(row[text].startswith("'") and row[text][1:].startswith(row[author][1:])
               for row in planted)  # fmt: skip
    for row in rows:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
        assert row[confidence].isdigit()  # the number column holds bare numbers
