"""When to try again: transient failures retried through tenacity, rate-limit budgets kept."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
import tenacity

# Three tries in all: a blip is absorbed, an outage is reported within seconds, not minutes.
ATTEMPTS = 3
# Answers worth another try. A 429 is not one: the source means "wait", the run ends with it.
TRANSIENT_STATUSES = {500, 502, 503, 504, 520, 522}


class TransientError(Exception):
    """A failure worth trying again: a 5xx answer, a dropped or refused connection, a timeout."""


def retrying(wait: float, attempts: int = ATTEMPTS) -> tenacity.Retrying:
    """A tenacity policy retrying TransientError with exponential backoff from `wait` seconds.

    The last failure is re-raised as it was, so callers report the real cause. Waits go through
    tenacity's sleep: a source configured with a tiny `retry_wait` (tests) never really sleeps.
    """
    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_exponential(multiplier=wait, min=wait, max=wait * 8),
        retry=tenacity.retry_if_exception_type(TransientError),
        reraise=True,
    )


class RetryingSession(requests.Session):
    """The requests session handed to praw (which speaks requests, not our httpx client).

    It applies our timeout and retries transient failures with `retrying`. prawcore would
    retry 5xx answers and connection errors itself, with sleeps of its own; raising
    TransientError, a type prawcore does not retry, keeps a single policy: this one.
    """

    def __init__(self, timeout: float, retry_wait: float):
        super().__init__()
        self.timeout, self.retry_wait = timeout, retry_wait

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Send with retries; the last transient failure is raised as TransientError."""
        kwargs["timeout"] = self.timeout  # praw 8 always passes prawcore's fixed 16 s
        return retrying(self.retry_wait)(self._send, method, url, *args, **kwargs)

    def _send(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        """One attempt; what deserves another is raised as TransientError."""
        where = f"{method.upper()} {urlsplit(url).path}"
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.Timeout as error:
            raise TransientError(f"timed out after {self.timeout:g}s ({where})") from error
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            raise TransientError(cannot_reach(url, error)) from error
        if response.status_code in TRANSIENT_STATUSES:
            status = f"HTTP {response.status_code} {response.reason or ''}".strip()
            raise TransientError(f"{status} from {where}")
        return response


def cannot_reach(url: str, error: Exception) -> str:
    """'cannot reach HOST: reason' for a refused, reset or unresolvable connection to `url`."""
    reason = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(error))
    words = reason.group(1).strip() if reason else type(error).__name__
    return f"cannot reach {urlsplit(url).netloc}: {words}"


class RateBudget:
    """A request budget as the last x-ratelimit-* headers told it (reset in seconds, as Reddit)."""

    def __init__(self, last: Mapping | None):
        last = last or {}
        self.remaining: int | None = last.get("remaining")
        self.used: int | None = last.get("used")
        try:
            self.reset_at: datetime | None = datetime.fromisoformat(last["reset_at"])
        except (KeyError, TypeError, ValueError):  # none yet, or a checkpoint from elsewhere
            self.reset_at = None

    def note(self, response: Any, *args: Any, **kwargs: Any) -> None:
        """A requests response hook: read the budget from every answer that carries it."""
        headers = response.headers
        if "x-ratelimit-remaining" not in headers:
            return
        try:
            self.remaining = int(float(headers["x-ratelimit-remaining"]))
            self.used = int(float(headers.get("x-ratelimit-used", 0)))
            reset = float(headers.get("x-ratelimit-reset", 0))  # seconds from now
        except ValueError:
            return  # a malformed header must not end the run; the last good one stands
        self.reset_at = datetime.now(UTC) + timedelta(seconds=reset)

    def seconds_to_reset(self) -> float:
        """Seconds until the window resets (0 when unknown or past)."""
        if self.reset_at is None:
            return 0.0
        return max(0.0, (self.reset_at - datetime.now(UTC)).total_seconds())

    def as_state(self) -> dict[str, Any]:
        """The budget for the checkpoint: requests remaining and used, and when it resets."""
        reset_at = self.reset_at.isoformat() if self.reset_at else None
        return {"remaining": self.remaining, "used": self.used, "reset_at": reset_at}


def retry_after(headers: Mapping[str, str]) -> float:
    """Seconds a 429 asks us to wait: Retry-After, else the rate-limit reset, else a minute."""
    for name in ("retry-after", "x-ratelimit-reset"):
        try:
            return max(1.0, float(headers[name]))
        except (KeyError, ValueError):
            continue
    return 60.0
