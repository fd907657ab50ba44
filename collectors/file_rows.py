"""Records of an export file, read so that a row that cannot be read costs that row alone."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from collectors.base import SourceError

Problems = list[tuple[int, str]]  # (line, what is wrong with it)
# Line ends as csv counts them (io.StringIO with newline=""), and as JSON Lines has them.
_CSV_LINES = re.compile(rb"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)")


class Row(dict):
    """One record of the file, with the line it started on."""

    line: int = 0


class BadCell:
    """A worksheet cell whose stored value cannot be read (it costs its row, not the sheet)."""

    def __init__(self, reason: str):
        self.reason = reason


def decode_lines(
    data: bytes, candidates: list[str], path: Path, csv_lines: bool
) -> tuple[str, set[int], str]:
    """The file's text, the numbers of lines that did not decode, and the encoding used.

    The first candidate that decodes the whole file wins. Failing that, the file is read line
    by line in the candidate that decodes most lines; the others are decoded with
    replacement characters and reported, so their rows can be skipped by number.
    """
    for candidate in candidates:
        try:
            return data.decode(candidate), set(), candidate
        except UnicodeDecodeError:
            continue
        except LookupError as error:
            raise SourceError(f"{path}: unknown encoding {candidate!r}") from error
    lines = _CSV_LINES.split(data) if csv_lines else data.split(b"\n")
    best, best_bad = candidates[0], set(range(1, len(lines) + 1))
    for candidate in candidates:
        bad = {
            number for number, line in enumerate(lines, start=1) if not _decodes(line, candidate)
        }
        if len(bad) < len(best_bad):
            best, best_bad = candidate, bad
    if len(best_bad) == len(lines):
        raise SourceError(f"{path}: not readable as {' or '.join(candidates)}")
    # csv's pieces keep their line ends; JSON Lines' were split off.
    joiner = "" if csv_lines else "\n"
    return joiner.join(line.decode(best, "replace") for line in lines), best_bad, best


def _decodes(line: bytes, encoding: str) -> bool:
    """Whether one line decodes in `encoding`."""
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def csv_rows(
    text: str, delimiter: str, problems: Problems, undecodable: set[int], encoding: str
) -> Iterator[Any]:
    """The header (first item), then CSV records; rows with too many fields, or on a line
    that did not decode, are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in next(reader, [])]
    if not header:
        return
    yield header
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append((start, f"{error}, row skipped"))
            continue
        if undecodable and any(n in undecodable for n in range(start, reader.line_num + 1)):
            problems.append((start, f"not readable as {encoding}, row skipped"))
            continue
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            problems.append(
                (start, f"{len(values)} fields where the header has {len(header)}, row skipped")
            )
            continue
        row = Row(zip(header, values, strict=False))
        row.line = start
        yield row


def jsonl_rows(
    text: str, problems: Problems, undecodable: set[int], encoding: str
) -> Iterator[Row]:
    """JSON Lines records; a line that is not a readable JSON object is reported and skipped."""
    # Only "\n" ends a record: str.splitlines would also split at U+2028 inside a text.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if number in undecodable:
            problems.append((number, f"not readable as {encoding}, row skipped"))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append((number, f"not JSON ({error.msg}), row skipped"))
            continue
        except ValueError:  # Python refuses integers of more than 4,300 digits
            problems.append((number, "a number too long to read, row skipped"))
            continue
        except RecursionError:
            problems.append((number, "nested too deeply to read, row skipped"))
            continue
        if not isinstance(record, dict):
            problems.append((number, "not a JSON object, row skipped"))
            continue
        row = Row(record)
        row.line = number
        yield row


def xlsx_rows(path: Path, problems: Problems) -> Iterator[Any]:
    """The header (first item), then the rows of the first sheet keyed by it; a row with a
    cell that cannot be read is reported and skipped."""
    from openpyxl import load_workbook  # imported here: only XLSX sources pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise SourceError(f"{path}: not a readable XLSX workbook ({error})") from error
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        for number, cells in _sheet_rows(workbook, sheet):
            if header is None:
                header = [
                    str(cells[n]).strip() if n in cells else "" for n in range(max(cells) + 1)
                ]
                yield header
                continue
            bad = [cell for cell in cells.values() if isinstance(cell, BadCell)]
            if bad:
                problems.append((number, f"unreadable cell ({bad[0].reason}), row skipped"))
                continue
            if not any(cell not in (None, "") for cell in cells.values()):
                continue
            row = Row((name, cells.get(index)) for index, name in enumerate(header))
            row.line = number
            yield row
        if header is None:
            yield []
    except SourceError:
        raise
    except Exception as error:  # a damaged sheet inside a valid archive
        raise SourceError(f"{path}: damaged worksheet ({type(error).__name__}: {error})") from error
    finally:
        workbook.close()


def _sheet_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, dict[int, Any]]]:
    """(row number, {column index from 0: value}) for each row the sheet stores."""
    from openpyxl.worksheet._reader import WorkSheetParser

    class TolerantParser(WorkSheetParser):
        """openpyxl's sheet parser, with an unreadable cell or row number marked, not raised."""

        def parse_row(self, row: Any) -> Any:
            try:
                return super().parse_row(row)
            except Exception as error:  # a row number that is no number
                self.row_counter += 1
                return self.row_counter, [self.bad_cell(error)]

        def parse_cell(self, element: Any) -> Any:
            try:
                return super().parse_cell(element)
            except Exception as error:  # too many digits, no such shared string, a bad date
                return self.bad_cell(error)

        def bad_cell(self, error: Exception) -> dict[str, Any]:
            reason = " ".join(f"{type(error).__name__}: {error}".split())[:120]
            return {
                "row": self.row_counter,
                "column": max(1, self.col_counter),
                "value": BadCell(reason),
            }

    # openpyxl's read-only sheet reads rows through this parser; driving it here keeps a bad
    # cell to its row (inside openpyxl, the first one would end the whole sheet).
    with sheet._get_source() as source:
        parser = TolerantParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            values = {cell["column"] - 1: cell["value"] for cell in cells}
            if values:
                yield number, values
