"""The shapes every collector shares: Post, Batch, the Collector protocol and its settings."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

# Bodies longer than this are cut: a post is read by a person, a megabyte of text is an attack.
MAX_BODY_CHARS = 20_000
# The raw HTML kept beside the text is cut too (in storage): five times the text's limit
# leaves room for the markup of a full-length post, not for a 10 MB page.
MAX_BODY_HTML_CHARS = 100_000


@dataclass(frozen=True)
class Post:
    """One thing a customer said, normalised from any source."""

    external_id: str
    body: str
    title: str = ""
    author: str = ""
    url: str = ""
    published_at: datetime | None = None
    body_html: str | None = None
    score: int | None = None
    comments: int | None = None
    followers: int | None = None
    rating: float | None = None
    parent_external_id: str | None = None

    # Cached: a post is frozen, and the pipeline reads its text and hash several times.
    @functools.cached_property
    def text(self) -> str:
        """Title and body as one text, the unit that is scored and searched."""
        return f"{self.title}\n{self.body}".strip() if self.title else self.body

    @functools.cached_property
    def content_hash(self) -> str:
        """Hash of the normalised text: groups duplicates of one complaint across sources."""
        normalised = " ".join(self.text.lower().split())
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Batch:
    """Posts fetched together and the checkpoint that is safe to store with them."""

    posts: list[Post]
    state: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


class SourceError(Exception):
    """A whole source failed (HTTP error, timeout, unreadable file): recorded on the source."""


class RateLimited(SourceError):
    """The source asked us to wait: the run ends cleanly and the source is next due after it."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class Collector(Protocol):
    """A source kind: built from its Settings, yields batches from a checkpoint state."""

    kind: ClassVar[str]
    default_channel: ClassVar[str]

    def fetch(self, state: Mapping[str, Any]) -> Iterator[Batch]:
        """Yield batches of new posts, each with the checkpoint to resume after it."""
        ...


def utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class SettingsError(ValueError):
    """A source's settings do not fit its kind's schema."""


def _accepts(annotation: Any, value: Any) -> bool:
    """Whether `value` fits a simple type annotation (str, int, float, bool, list, dict, unions)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_accepts(arm, value) for arm in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    target = origin or annotation
    return isinstance(value, target) if isinstance(target, type) else True


def build_settings(settings_class: type, table: Mapping[str, Any], where: str) -> Any:
    """Build a Settings dataclass from a config table, naming the field that does not fit."""
    hints = typing.get_type_hints(settings_class)
    known = {f.name: f for f in dataclasses.fields(settings_class)}
    for key, value in table.items():
        if key not in known:
            raise SettingsError(f"{where}.{key}: unknown field (takes: {', '.join(known)})")
        if not _accepts(hints[key], value):
            raise SettingsError(f"{where}.{key}: expected {_type_name(hints[key])}, got {value!r}")
    missing = [
        name
        for name, f in known.items()
        if name not in table
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise SettingsError(f"{where}.{missing[0]}: required")
    return settings_class(**table)


def _type_name(annotation: Any) -> str:
    """A readable name for a type annotation, for error messages."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arm) for arm in typing.get_args(annotation))
    return getattr(annotation, "__name__", str(annotation))


def settings_help(settings_class: type) -> list[tuple[str, Any, str]]:
    """(name, default, help) for each field of a Settings dataclass, for docs and `init`."""
    rows = []
    for f in dataclasses.fields(settings_class):
        default = f.default if f.default is not dataclasses.MISSING else None
        rows.append((f.name, default, f.metadata.get("help", "")))
    return rows


def setting(default: Any = dataclasses.MISSING, help: str = "") -> Any:
    """A Settings field with its help line (the one place a setting is documented)."""
    if default is dataclasses.MISSING:
        return field(metadata={"help": help})
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})
