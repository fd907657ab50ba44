"""Review and helpdesk exports (CSV, JSONL, XLSX) mapped onto posts, bad rows reported by line."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

from collectors.base import Batch, Post, SourceError, setting, utc
from collectors.text import body_from_markup, clean_text

FIELDS = ("id", "text", "title", "author", "url", "published_at", "rating")
BATCH_ROWS = 500
FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class FileSettings:
    """Config schema of a `file` source."""

    path: str = setting(help="the export file: .csv, .tsv, .jsonl or .xlsx")
    columns: dict = setting({}, help="our field -> the file's header, e.g. { text = \"评价内容\" }")
    encoding: str = setting("auto", help="text encoding; auto tries UTF-8 then GB18030")
    timezone: str = setting("", help="zone of dates without an offset (default: the config's)")
    max_bytes: int = setting(200_000_000, help="largest file accepted, in bytes")


class Row(dict):
    """One record of the file, with the line it started on."""

    line: int = 0


class FileCollector:
    """Reads an export file; a re-import of a grown file yields only the rows it had not read."""

    kind: ClassVar[str] = "file"
    default_channel: ClassVar[str] = "review"
    Settings: ClassVar[type] = FileSettings

    def __init__(self, settings: FileSettings):
        self.settings = settings
        self.columns = {name: name for name in FIELDS} | dict(settings.columns)
        unknown = set(settings.columns) - set(FIELDS)
        if unknown:
            raise SourceError(f"columns: unknown field {sorted(unknown)[0]!r} (takes: {FIELDS})")
        self.zone = ZoneInfo(settings.timezone or "UTC")

    def fetch(self, state: Mapping[str, Any]) -> Iterator[Batch]:
        """Yield posts in batches; rows before the checkpoint are skipped when the file grew."""
        path = Path(self.settings.path).expanduser()
        try:
            size = path.stat().st_size
            if size > self.settings.max_bytes:
                raise SourceError(f"{path}: larger than the {self.settings.max_bytes:,}-byte limit")
            prefix_bytes = min(size, 65536)
            fingerprint = _fingerprint(path, prefix_bytes)
            same_file = state.get("fingerprint") == _fingerprint(path, state.get("prefix_bytes", 0))
        except OSError as error:
            raise SourceError(f"{path}: {error.strerror or error}") from error
        resume = state.get("rows_done", 0) if same_file else 0
        checkpoint = {"fingerprint": fingerprint, "prefix_bytes": prefix_bytes}
        occurrences: Counter[str] = Counter()
        posts: list[Post] = []
        warnings: list[str] = []
        rows_done = 0
        for rows_done, row in enumerate(self._rows(path, warnings), start=1):
            # Rows read before are still numbered (ids of rows without an id column depend on
            # it) but their problems were reported then.
            post = self._post_from_row(row, occurrences, warnings if rows_done > resume else [])
            if rows_done <= resume or post is None:
                continue
            posts.append(post)
            if len(posts) >= BATCH_ROWS:
                yield Batch(posts, checkpoint | {"rows_done": rows_done}, warnings)
                posts, warnings = [], []
        yield Batch(posts, checkpoint | {"rows_done": rows_done}, warnings)

    def _rows(self, path: Path, warnings: list[str]) -> Iterator[Row]:
        """Records of the file as dicts keyed by header, in file order."""
        kind = FORMATS.get(path.suffix.lower())
        if kind is None:
            raise SourceError(f"{path}: unsupported file type (use {', '.join(FORMATS)})")
        if kind == "xlsx":
            yield from _xlsx_rows(path)
            return
        text = _decode(path.read_bytes(), self.settings.encoding, path).replace("\x00", "")
        if kind == "jsonl":
            yield from _jsonl_rows(text, warnings)
        else:
            yield from _csv_rows(text, "\t" if path.suffix.lower() == ".tsv" else ",", warnings)

    def _post_from_row(
        self, row: Row, occurrences: Counter[str], warnings: list[str]
    ) -> Post | None:
        """A Post from one record; None (with a warning naming the line) when it has no text."""
        if self.columns["text"] not in row:
            raise SourceError(
                f"column {self.columns['text']!r} for text is not in the file (has: {list(row)})"
            )
        return post_from_row(row, self.columns, self.zone, occurrences, warnings)


def post_from_row(
    row: Row,
    columns: Mapping[str, str],
    zone: ZoneInfo,
    occurrences: Counter[str],
    warnings: list[str],
) -> Post | None:
    """Map one file record onto a Post, reporting unreadable values by line number."""

    def value(field: str) -> str:
        raw = row.get(columns[field])
        return "" if raw is None else str(raw).strip()

    body, body_html = body_from_markup(value("text"))
    if not body:
        warnings.append(f"line {row.line}: empty text, row skipped")
        return None
    published_at = None
    if value("published_at"):
        try:
            published_at = _parse_date(value("published_at"), zone)
        except (ValueError, OverflowError):
            warnings.append(f"line {row.line}: unreadable date {value('published_at')[:40]!r}")
    rating = None
    if value("rating"):
        try:
            rating = float(value("rating"))
        except ValueError:
            warnings.append(f"line {row.line}: rating {value('rating')[:20]!r} is not a number")
    external_id = value("id") or _row_identity(row, occurrences)
    return Post(
        external_id=external_id[:500],
        body=body,
        body_html=body_html,
        title=clean_text(value("title")),
        author=clean_text(value("author"))[:200],
        url=value("url")[:2000],
        published_at=published_at,
        rating=rating,
    )


def _row_identity(row: Row, occurrences: Counter[str]) -> str:
    """Id for a row without an id column: hash of all its values, numbered among equal rows."""
    digest = hashlib.sha1(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()[:20]
    occurrences[digest] += 1
    return f"row:{digest}:{occurrences[digest]}"


def _parse_date(text: str, zone: ZoneInfo) -> datetime:
    """A date in any common shape; without an offset it is read in the source's zone."""
    if text.isdigit() and len(text) in (10, 13):
        return datetime.fromtimestamp(int(text[:10]), tz=ZoneInfo("UTC"))
    moment = date_parser.parse(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return utc(moment)


def _decode(data: bytes, encoding: str, path: Path) -> str:
    """Text of the file: UTF-8 (with or without BOM), else GB18030, as exports from China use."""
    candidates = ["utf-8-sig", "gb18030"] if encoding == "auto" else [encoding]
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    raise SourceError(f"{path}: not readable as {' or '.join(candidates)}")


def _csv_rows(text: str, delimiter: str, warnings: list[str]) -> Iterator[Row]:
    """CSV records; rows with more fields than the header are reported and skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        return
    header = [name.strip() for name in header]
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            warnings.append(f"line {start}: {error}, row skipped")
            continue
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            warnings.append(
                f"line {start}: {len(values)} fields where the header has {len(header)}, row skipped"
            )
            continue
        row = Row(zip(header, values, strict=False))
        row.line = start
        yield row


def _jsonl_rows(text: str, warnings: list[str]) -> Iterator[Row]:
    """JSON Lines records; a line that is not a JSON object is reported and skipped."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            warnings.append(f"line {number}: not JSON ({error.msg}), row skipped")
            continue
        if not isinstance(record, dict):
            warnings.append(f"line {number}: not a JSON object, row skipped")
            continue
        row = Row(record)
        row.line = number
        yield row


def _xlsx_rows(path: Path) -> Iterator[Row]:
    """Rows of the first sheet, keyed by its first row."""
    from openpyxl import load_workbook  # imported here: only XLSX sources pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise SourceError(f"{path}: not a readable XLSX workbook ({error})") from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        for number, values in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in values):
                continue
            row = Row(zip(header, values, strict=False))
            row.line = number
            yield row
    finally:
        workbook.close()


def _fingerprint(path: Path, prefix_bytes: int) -> str:
    """Hash of the file's first bytes: an export that only grew at the end keeps its prefix."""
    with path.open("rb") as handle:
        return hashlib.sha256(handle.read(prefix_bytes)).hexdigest()[:24]
