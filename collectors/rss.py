"""RSS and Atom feeds (forums, review feeds, RSSHub routes, Mastodon tags) through feedparser."""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlparse

import feedparser

from collectors.base import Batch, Post, SourceError, setting
from collectors.feed_bytes import binary_kind, safe_feed
from collectors.http import FetchError, fetch_url_with_retries
from collectors.text import body_from_markup, clean_text


@dataclass(frozen=True)
class RssSettings:
    """Config schema of an `rss` source."""

    url: str = setting(help="feed URL (http/https), local path or file:// URL")
    timeout: float = setting(20.0, help="seconds before a slow server is given up on")
    max_bytes: int = setting(10_000_000, help="largest feed body accepted, in bytes")
    retries: int = setting(2, help="tries again after a 5xx or a refused connection")
    retry_wait: float = setting(2.0, help="seconds before the first retry (doubling after)")
    discourse_api_key: str = setting(
        "", help='Discourse API key, as { env = "DISCOURSE_API_KEY" }; empty: replies by hand'
    )
    discourse_username: str = setting("", help="the Discourse user replies are posted as")


class RssCollector:
    """Fetches one feed with a conditional GET and yields its entries as one batch."""

    kind: ClassVar[str] = "rss"
    default_channel: ClassVar[str] = "forum"
    Settings: ClassVar[type] = RssSettings

    def __init__(self, settings: RssSettings):
        self.settings = settings

    def fetch(self, state: Mapping[str, Any]) -> Iterator[Batch]:
        """Yield the feed's entries; on a 304, nothing but the warnings the feed last had."""
        content, charset, new_state = self._read(state)
        if content is None:
            # Unchanged, so still as malformed as it was: its warning holds until it changes.
            kept = list(state.get("warnings") or [])
            if kept:
                yield Batch([], new_state | {"warnings": kept}, kept)
            return
        feed, warnings = safe_feed(content, charset)
        parsed = feedparser.parse(feed, sanitize_html=False, resolve_relative_uris=False)
        if not parsed.get("version") and not parsed.entries:
            # A sign-in or error page answered with 200 is the usual way a feed silently dies.
            raise SourceError(f"not a feed: {describe_body(content)}")
        if parsed.bozo:
            problem = f"malformed feed: {parsed.bozo_exception}"
            if not parsed.entries:
                problem += " (no entries could be read)"
            warnings.append(problem)
        posts = [post_from_entry(entry) for entry in parsed.entries]
        # Kept in the checkpoint: a 304 next time says the feed is unchanged, warnings and all.
        checkpoint = new_state | ({"warnings": warnings} if warnings else {})
        yield Batch([post for post in posts if post is not None], checkpoint, warnings)

    def _read(self, state: Mapping[str, Any]) -> tuple[bytes | None, str | None, dict[str, Any]]:
        """The feed's bytes (None when unchanged), the HTTP charset and the validators to send
        next time."""
        url = self.settings.url
        scheme = urlparse(url).scheme
        if scheme in ("http", "https"):
            try:
                fetched = fetch_url_with_retries(
                    url,
                    retries=self.settings.retries,
                    retry_wait=self.settings.retry_wait,
                    etag=state.get("etag"),
                    last_modified=state.get("last_modified"),
                    timeout=self.settings.timeout,
                    max_bytes=self.settings.max_bytes,
                )
            except FetchError as error:
                raise SourceError(str(error)) from error
            new_state = {"etag": fetched.etag, "last_modified": fetched.last_modified}
            content = None if fetched.not_modified else fetched.content
            return content, _charset(fetched.content_type), new_state
        path = Path(unquote(urlparse(url).path) if scheme == "file" else url)
        try:
            if path.stat().st_size > self.settings.max_bytes:
                raise SourceError(f"{path}: larger than the {self.settings.max_bytes:,}-byte limit")
            return path.read_bytes(), None, {}
        except OSError as error:
            raise SourceError(f"{path}: {error.strerror or error}") from error


def post_from_entry(entry: Mapping[str, Any]) -> Post | None:
    """Turn one feedparser entry into a Post; None when it carries no text at all."""
    raw = _entry_body(entry)
    body, body_html = body_from_markup(raw)
    title, _ = body_from_markup(entry.get("title", "") or "")
    if not body and not title:
        return None
    if title and body.startswith(title.rstrip("…. ")):
        title = ""  # social feeds title an entry with its own opening words: say it once
    link = (entry.get("link", "") or "").strip()
    external_id = clean_text(str(entry.get("id") or "")) or link or _hash_id(title, body)
    return Post(
        external_id=external_id[:500],
        title=title,
        body=body,
        body_html=body_html,
        author=clean_text(entry.get("author", "") or "")[:200],
        url=link[:2000],
        published_at=_entry_time(entry),
        comments=_int_or_none(entry.get("slash_comments")),
    )


def _entry_body(entry: Mapping[str, Any]) -> str:
    """The fullest text an entry offers: content:encoded / Atom content, else the summary."""
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def _entry_time(entry: Mapping[str, Any]) -> datetime | None:
    """Publication time (else update time) as aware UTC; feedparser gives UTC struct_time."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _int_or_none(value: Any) -> int | None:
    """An integer from a feed extension field, or None when absent or not a number."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _hash_id(title: str, body: str) -> str:
    """A stable id for entries that have neither guid nor link."""
    return "sha1:" + hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()


def _charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return match[1] if match else None


def describe_body(content: bytes) -> str:
    """What was received instead of a feed, in a few printable words (never its raw bytes)."""
    head = content[:2048]
    if not head.strip():
        return "the body is empty"
    kind = binary_kind(head)
    if kind is not None:
        return f"body is binary ({kind}), {len(content):,} bytes"
    text = head.decode("utf-8", "replace")
    if re.search(r"<html|<!doctype html", text, re.IGNORECASE):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        named = f" titled {clean_text(title.group(1))[:80]!r}" if title else ""
        return f"an HTML page{named} was served"
    return f"unrecognised content starting {clean_text(text)[:60]!r}"
