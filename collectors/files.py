"""Review and helpdesk exports (CSV, JSONL, XLSX) mapped onto posts, bad rows reported by line."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

from collectors.base import Batch, Post, SourceError, setting, utc
from collectors.file_rows import Problems, Row, csv_rows, decode_lines, jsonl_rows, xlsx_rows
from collectors.text import body_from_markup, clean_text

FIELDS = ("id", "text", "title", "author", "url", "published_at", "rating")
BATCH_ROWS = 500
_SURROGATE = re.compile("[\ud800-\udfff]")
FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class FileSettings:
    """Config schema of a `file` source."""

    path: str = setting(help="the export file: .csv, .tsv, .jsonl or .xlsx")
    columns: dict = setting({}, help='our field -> the file\'s header, e.g. { text = "评价内容" }')
    encoding: str = setting("auto", help="text encoding; auto tries UTF-8 then GB18030")
    html: bool = setting(False, help="the text column holds HTML (helpdesk exports): read as such")
    timezone: str = setting("", help="zone of dates without an offset (default: the config's)")
    max_bytes: int = setting(200_000_000, help="largest file accepted, in bytes")


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
        resume_rows = state.get("rows_done", 0) if same_file else 0
        resume_line = state.get("line_done", 0) if same_file else 0
        checkpoint = {"fingerprint": fingerprint, "prefix_bytes": prefix_bytes}
        occurrences: Counter[str] = Counter()
        posts: list[Post] = []
        problems: Problems = []
        rows_done = line_done = 0
        for rows_done, row in enumerate(self._rows(path, problems), start=1):
            # Rows read before are still numbered: ids of rows without an id column depend on it.
            post = post_from_row(
                row, self.columns, self.zone, occurrences, problems, self.settings.html
            )
            line_done = row.line
            if rows_done <= resume_rows or post is None:
                continue
            posts.append(post)
            if len(posts) >= BATCH_ROWS:
                done = {"rows_done": rows_done, "line_done": line_done}
                yield Batch(posts, checkpoint | done, _messages(problems, resume_line))
                posts = []
                problems.clear()
        done = {"rows_done": rows_done, "line_done": max(line_done, resume_line)}
        yield Batch(posts, checkpoint | done, _messages(problems, resume_line))

    def _rows(self, path: Path, problems: Problems) -> Iterator[Row]:
        """Records of the file as dicts keyed by header, in file order."""
        kind = FORMATS.get(path.suffix.lower())
        if kind is None:
            raise SourceError(f"{path}: unsupported file type (use {', '.join(FORMATS)})")
        if kind == "xlsx":
            rows = xlsx_rows(path, problems)
        else:
            encoding = self.settings.encoding
            candidates = ["utf-8-sig", "gb18030"] if encoding == "auto" else [encoding]
            text, undecodable, used = decode_lines(
                path.read_bytes(), candidates, path, csv_lines=kind == "csv"
            )
            text = text.replace("\x00", "")
            if kind == "jsonl":
                yield from jsonl_rows(text, problems, undecodable, used)
                return
            if 1 in undecodable:
                raise SourceError(f"{path}: line 1 (the header) is not readable as {used}")
            delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
            rows = csv_rows(text, delimiter, problems, undecodable, used)
        header = next(rows, None)
        if header is not None:
            # The text column, and every column the config names, must be there: a mapping
            # that points nowhere is a typo, not a file without that field.
            expected = {"text": self.columns["text"], **self.settings.columns}
            for field, column in expected.items():
                if column not in header:
                    raise SourceError(
                        f"columns.{field}: {column!r} is not in the file's header "
                        f"(has: {', '.join(header)})"
                    )
        yield from rows  # type: ignore[misc]


def _messages(problems: Problems, after_line: int) -> list[str]:
    """Warnings for problems past the lines reported on an earlier run."""
    return [f"line {line}: {message}" for line, message in problems if line > after_line]


def post_from_row(
    row: Row,
    columns: Mapping[str, str],
    zone: ZoneInfo,
    occurrences: Counter[str],
    problems: Problems,
    html: bool = False,
) -> Post | None:
    """Map one file record onto a Post, reporting unreadable values by line number."""

    def value(field: str) -> str:
        raw = row.get(columns[field])
        # JSON can spell a lone surrogate ("\\ud800"): no database can store one.
        return "" if raw is None else _SURROGATE.sub("", str(raw)).strip()

    if columns["text"] not in row:
        problems.append((row.line, f"no {columns['text']!r} field, row skipped"))
        return None
    # A review export holds what customers typed: "<b>" in it is text, shown as typed.
    if html:
        body, body_html = body_from_markup(value("text"), keep_literal=True)
    else:
        body, body_html = clean_text(value("text")), None
    if not body:
        problems.append((row.line, "empty text, row skipped"))
        return None
    published_at = None
    if value("published_at"):
        try:
            published_at = _parse_date(value("published_at"), zone)
        except (ValueError, OverflowError):
            problems.append((row.line, f"unreadable date {value('published_at')[:40]!r}"))
    rating = None
    if value("rating"):
        try:
            rating = float(value("rating"))
            if not math.isfinite(rating):
                raise ValueError("not finite")
        except ValueError:
            rating = None
            problems.append((row.line, f"rating {value('rating')[:20]!r} is not a number"))
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
        return datetime.fromtimestamp(int(text[:10]), tz=UTC)
    try:  # ISO 8601, what most exports write, is read in C; anything else by dateutil
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = date_parser.parse(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return utc(moment)


def _fingerprint(path: Path, prefix_bytes: int) -> str:
    """Hash of the file's first bytes: an export that only grew at the end keeps its prefix."""
    with path.open("rb") as handle:
        return hashlib.sha256(handle.read(prefix_bytes)).hexdigest()[:24]
