"""How post text and links are prepared for display: plain text, safe links only."""

from __future__ import annotations

from urllib.parse import urlparse

SNIPPET_CHARS = 140


def snippet(title: str | None, body: str | None) -> str:
    """Title and body on one line, cut to a table cell's worth."""
    text = " · ".join(part for part in (title, body) if part)
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def safe_link(url: str | None) -> str | None:
    """The URL when it is http(s); anything else (javascript:, data:) is never made a link."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None
