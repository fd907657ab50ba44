"""Replies on a Discourse forum read through its RSS feed: a post in the topic, by its API."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from collectors.http import USER_AGENT
from collectors.replies.base import ReplyTarget, SendFailed, SentReply
from collectors.retry import retry_after
from collectors.rss import RssSettings

# Discourse links a feed item to /t/<slug>/<topic_id>, /t/<slug>/<topic_id>/<post_number> or,
# without the slug, /t/<topic_id>/<post_number>; a forum in a subfolder puts that first.
_TOPIC_PATH = re.compile(
    r"(?P<folder>.*?)/t/(?:(?P<slug>[^/]*[^/\d][^/]*)/)?(?P<topic>\d+)(?:/(?P<post>\d+))?/?"
)


class DiscourseReplier:
    """Posts replies as `discourse_username` with `discourse_api_key` (Discourse's user API)."""

    kind: ClassVar[str] = "rss"

    def __init__(self, settings: RssSettings):
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: RssSettings) -> DiscourseReplier | None:
        """A replier when the feed's Discourse API key and user are configured, else None."""
        if not settings.discourse_api_key or not settings.discourse_username:
            return None
        return cls(settings)

    def send(self, target: ReplyTarget, text: str, key: str) -> SentReply:
        """POST the reply to the topic; Discourse takes no idempotency key (it refuses repeats)."""
        base, topic_id, post_number = self.topic_of(target.url)
        body: dict[str, Any] = {"topic_id": topic_id, "raw": text}
        if post_number > 1:  # a reply to the opening post is a reply to the topic
            body["reply_to_post_number"] = post_number
        headers = {
            "Api-Key": self.settings.discourse_api_key,
            "Api-Username": self.settings.discourse_username,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
        }
        timeout = self.settings.timeout
        host = urlsplit(base).netloc
        try:
            response = httpx.post(f"{base}/posts.json", json=body, headers=headers, timeout=timeout)
        except httpx.ConnectTimeout as error:  # nothing was sent yet
            message = f"{host} did not accept a connection within {timeout:g}s"
            raise SendFailed(message, retryable=True) from error
        except httpx.TimeoutException as error:
            raise SendFailed(
                f"{host} did not answer within {timeout:g}s; the reply may have been posted: "
                "look at the topic before sending again",
                retryable=True,
            ) from error
        except httpx.TransportError as error:  # refused, reset, DNS
            raise SendFailed(f"cannot reach {host}: {error}", retryable=True) from error
        answer = _json(response)
        if response.status_code != 200:
            raise _refused(response, answer, host)
        try:
            post_id, topic, number = answer["id"], answer["topic_id"], answer["post_number"]
            slug = answer.get("topic_slug") or "topic"  # Discourse's own slug for an empty one
        except (KeyError, TypeError) as error:
            raise SendFailed(
                f"{host} took the reply but did not say where it is: look at the topic",
                retryable=False,
            ) from error
        return SentReply(url=f"{base}/t/{slug}/{topic}/{number}", reference=str(post_id))

    def topic_of(self, url: str) -> tuple[str, int, int]:
        """The forum's base URL, the topic id and the post number (1: the topic) of a post URL."""
        parts = urlsplit(url)
        found = _TOPIC_PATH.fullmatch(parts.path)
        if parts.scheme not in ("http", "https") or not parts.netloc or found is None:
            raise SendFailed("this post's URL names no Discourse topic", retryable=False)
        feed_host = urlsplit(self.settings.url).netloc.lower()
        if parts.netloc.lower() != feed_host:
            # The API key goes only to the forum the feed is read from, never to a link's host.
            raise SendFailed(
                f"this post's URL is on {parts.netloc}, not on the feed's forum ({feed_host})",
                retryable=False,
            )
        base = f"{parts.scheme}://{parts.netloc}{found['folder']}"
        return base, int(found["topic"]), int(found["post"] or 1)


def _json(response: httpx.Response) -> Any:
    """The answer's JSON, or {} when it is not JSON (a proxy's HTML error page)."""
    try:
        return response.json()
    except ValueError:
        return {}


def _refused(response: httpx.Response, answer: Any, host: str) -> SendFailed:
    """Our failure for an error answer; Discourse says why in `errors`."""
    status = response.status_code
    errors = answer.get("errors") if isinstance(answer, dict) else None
    reasons = "; ".join(str(error) for error in errors) if isinstance(errors, list) else ""
    said = f": {reasons}" if reasons else ""
    if status in (401, 403):
        return SendFailed(
            f"{host} refused the API key or user (HTTP {status}{said}): check "
            "discourse_api_key and discourse_username",
            retryable=False,
        )
    if status == 422:
        return SendFailed(f"{host} refused the reply{said or ' (HTTP 422)'}", retryable=False)
    if status == 429:
        wait = retry_after(response.headers)
        return SendFailed(f"{host} asks to wait {wait:g} s before posting again", True)
    if status >= 500:
        return SendFailed(f"{host} answered HTTP {status} {response.reason_phrase}", True)
    return SendFailed(f"{host} answered HTTP {status} to the reply{said}", retryable=False)
