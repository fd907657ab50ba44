"""Replies on Reddit: a comment under the post or comment, posted through praw as the account."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import praw
import prawcore
import requests

from collectors.reddit import WEB_URL, RedditSettings
from collectors.replies.base import ReplyTarget, SendFailed, SentReply
from collectors.retry import cannot_reach, retry_after


class AnswerLost(Exception):
    """The request went out but its answer did not come back: the comment may exist already."""


class OneTrySession(requests.Session):
    """The requests session handed to praw for a reply: our timeout, no second try of a POST.

    prawcore tries again after a 5xx or a refused connection (nothing was posted). It would also
    try again after a read timeout or a cut answer, when Reddit may have posted the comment
    already; raising AnswerLost, a type prawcore does not retry, keeps a reply from going twice.
    """

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Send once with our timeout (praw 8 always passes prawcore's fixed 16 s)."""
        kwargs["timeout"] = self.timeout
        try:
            return super().request(method, url, *args, **kwargs)
        except (requests.ReadTimeout, requests.exceptions.ChunkedEncodingError) as error:
            raise AnswerLost(f"no answer within {self.timeout:g}s") from error


class RedditReplier:
    """Posts replies as the account in `username` / `password` (a script app's developer)."""

    kind: ClassVar[str] = "reddit"

    def __init__(self, settings: RedditSettings):
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: RedditSettings) -> RedditReplier | None:
        """A replier when the app and the account are both configured, else None."""
        needed = (settings.client_id, settings.client_secret, settings.username, settings.password)
        return cls(settings) if all(needed) else None

    def send(self, target: ReplyTarget, text: str, key: str) -> SentReply:
        """Comment under the t3_ post or t1_ comment; Reddit takes no idempotency key."""
        kind, _, thing_id = target.external_id.partition("_")
        if kind not in ("t3", "t1") or not re.fullmatch(r"[0-9a-z]+", thing_id):
            raise SendFailed(
                f"{target.external_id!r} is not a Reddit post or comment id", retryable=False
            )
        settings = self.settings
        session = OneTrySession(settings.timeout)
        try:
            reddit = praw.Reddit(
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                username=settings.username,
                password=settings.password,
                refresh_token=None,  # pinned so a praw.ini cannot log in another way
                user_agent=settings.user_agent,
                oauth_url=settings.oauth_url,
                reddit_url=settings.reddit_url,
                check_for_updates=False,
                requestor_kwargs={"session": session},
            )
            thing = reddit.submission(id=thing_id) if kind == "t3" else reddit.comment(id=thing_id)
            comment = thing.reply(text)
        except (prawcore.PrawcoreException, praw.exceptions.PRAWException) as error:
            raise send_failed(error, settings) from error
        except KeyError as error:  # prawcore's answer to a 401 without a WWW-Authenticate header
            raise SendFailed("Reddit refused the account's credentials", False) from error
        finally:
            session.close()
        if comment is None:  # Reddit's answer for a quarantined subreddit
            raise SendFailed(
                "Reddit took the reply but did not say where it is: find it in the account's "
                "comments before sending again",
                retryable=False,
            )
        return SentReply(url=WEB_URL + comment.permalink, reference=comment.fullname)


def send_failed(error: Exception, settings: RedditSettings) -> SendFailed:
    """Our failure for what praw or prawcore raised while replying."""
    if isinstance(error, praw.exceptions.RedditAPIException):
        codes = {item.error_type for item in error.items}
        reasons = "; ".join(f"{item.message} ({item.error_type})" for item in error.items)
        if "RATELIMIT" in codes:  # the account posts too often: it passes in minutes
            return SendFailed(f"Reddit asks to wait before commenting again: {reasons}", True)
        return SendFailed(f"Reddit refused the reply: {reasons}", retryable=False)
    if isinstance(error, prawcore.OAuthException):
        return SendFailed(
            f"Reddit refused the account's credentials ({error.error}): check username and "
            "password",
            retryable=False,
        )
    if isinstance(error, prawcore.ResponseException):
        return _failed_answer(error.response)
    if isinstance(error, prawcore.RequestException):
        cause = error.original_exception
        # prawcore passes the URL by name for API calls, by position for the token request.
        positional = error.request_args[1] if len(error.request_args) > 1 else ""
        url = str(error.request_kwargs.get("url") or positional)
        if isinstance(cause, AnswerLost) and not url.endswith("/api/v1/access_token"):
            return SendFailed(
                f"Reddit did not answer within {settings.timeout:g}s; the reply may have been "
                "posted: look at the thread before sending again",
                retryable=True,
            )
        if isinstance(cause, AnswerLost):
            return SendFailed(f"Reddit's login did not answer within {settings.timeout:g}s", True)
        if isinstance(cause, requests.ConnectionError):  # refused, reset, DNS, connect timeout
            return SendFailed(cannot_reach(url or settings.oauth_url, cause), retryable=True)
    return SendFailed(f"Reddit settings or request rejected: {error}", retryable=False)


def _failed_answer(response: Any) -> SendFailed:
    """Our failure for an HTTP error answer from Reddit."""
    status = response.status_code
    if status == 401 and response.url.rstrip("/").endswith("/api/v1/access_token"):
        return SendFailed(
            "Reddit refused the app's credentials: check client_id and client_secret", False
        )
    if status == 401:
        return SendFailed("Reddit refused the account's credentials", retryable=False)
    if status == 403:
        return SendFailed(
            "Reddit does not let the account reply there (HTTP 403: banned, private or locked)",
            retryable=False,
        )
    if status == 404:
        return SendFailed("the post is not on Reddit any more (HTTP 404)", retryable=False)
    if status == 429:
        wait = retry_after(response.headers)
        return SendFailed(f"Reddit rate limit: retry after {wait:g} s", retryable=True)
    if status >= 500:
        return SendFailed(f"Reddit answered HTTP {status} after 3 tries", retryable=True)
    return SendFailed(f"Reddit answered HTTP {status} to the reply", retryable=False)
