"""CSV exports that a spreadsheet opens as data: no cell of text can start a formula.

The OWASP rule for CSV injection: a cell beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return is read as a formula by Excel, LibreOffice and Google Sheets
(`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`); a leading `'` makes it text again. Only text
cells are changed: a number in a numeric column (a score of -0.5) stays a number.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text `value` that a spreadsheet would run, made inert with a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell made safe for a spreadsheet; numeric columns untouched."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(name) for name in safe.columns]
    return safe


def csv_text(frame: pd.DataFrame) -> str:
    """`frame` as CSV text for a download, safe to open in a spreadsheet."""
    # CRLF line ends (RFC 4180): the writer then quotes any cell holding a lone \r as well,
    # which a "\n" line end leaves bare and readers take for the end of the row.
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n")
