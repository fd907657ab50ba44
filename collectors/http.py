"""The one HTTP client collectors use: timeouts, a User-Agent, a size limit, conditional GET."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

USER_AGENT = "Hundredfold/0.1 (+https://github.com/hundredfold/hundredfold; brand listening)"


@dataclass(frozen=True)
class Fetched:
    """What a conditional GET returned: a 304 has no content."""

    status: int
    content: bytes
    etag: str | None
    last_modified: str | None
    content_type: str

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 Not Modified."""
        return self.status == 304


class FetchError(Exception):
    """The URL could not be fetched: the message says why in words a user can act on."""

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient  # worth another try soon (5xx, connection refused)


def fetch_url_with_retries(url: str, *, retries: int, retry_wait: float, **options) -> Fetched:
    """fetch_url, retried with exponential backoff when the failure is transient."""
    retrying = Retrying(
        stop=stop_after_attempt(retries + 1),
        wait=wait_exponential(multiplier=retry_wait, max=60 * retry_wait),
        retry=retry_if_exception(lambda error: getattr(error, "transient", False)),
        reraise=True,
    )
    return retrying(fetch_url, url, **options)


def fetch_url(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 20.0,
    max_bytes: int = 10_000_000,
) -> Fetched:
    """GET `url` with validators; refuse bodies over `max_bytes` and slow or failing servers."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:
            with client.stream("GET", url) as response:
                if response.status_code == 304:
                    return Fetched(304, b"", etag, last_modified, "")
                if response.status_code >= 400:
                    raise FetchError(
                        f"HTTP {response.status_code} {response.reason_phrase}",
                        transient=response.status_code >= 500,
                    )
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > max_bytes:
                    raise FetchError(_too_large(declared, max_bytes))
                chunks, size = [], 0
                # httpx's timeout bounds each read; a server dripping bytes needs a deadline.
                deadline = time.monotonic() + timeout
                for chunk in response.iter_bytes():
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out after {timeout:g}s (body still arriving)")
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(_too_large(size, max_bytes))
                    chunks.append(chunk)
                return Fetched(
                    response.status_code,
                    b"".join(chunks),
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                    response.headers.get("Content-Type", ""),
                )
    except httpx.TimeoutException as error:
        raise FetchError(f"timed out after {timeout:g}s ({type(error).__name__})") from error
    except httpx.TransportError as error:  # refused, reset, DNS: often gone in a moment
        raise FetchError(f"{type(error).__name__}: {error}", transient=True) from error
    except httpx.HTTPError as error:
        raise FetchError(f"{type(error).__name__}: {error}") from error


def _too_large(size: int, limit: int) -> str:
    """The message for a body over the size limit."""
    return f"body larger than the {limit:,}-byte limit (at least {size:,} bytes)"
