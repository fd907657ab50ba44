"""The write side of the fake Reddit API (tests/reddit_server): a user login and new comments.

A script app logs in as its developer with the password grant; with that user's token,
`POST /api/comment` (form fields `thing_id`, `text`, `api_type=json`) answers in Reddit's shape,
`{"json": {"errors": [], "data": {"things": [<the new t1>]}}}`, which praw's `.reply()` turns
into a Comment. Replying to a thing the recordings do not hold, to a deleted or removed comment
or inside a locked thread answers Reddit's own errors (`[code, message, field]` triples).
"""

from __future__ import annotations

import itertools
import time
from typing import Any
from urllib.parse import parse_qs

USERNAME = "acme_support"
PASSWORD = "test-password-5b1a"
USER_TOKEN = "test-user-token-3c8f"


class RedditWrites:
    """Mixed into RedditServer, which owns `_things` (every recorded t3/t1) and the lock."""

    _things: dict[str, dict[str, Any]]

    def reset_writes(self) -> None:
        """Forget posted comments and locks (called from RedditServer.reset, under its lock)."""
        self.comments: list[dict[str, Any]] = []
        self._locked: set[str] = set()
        self._new_ids = (f"lz{number:05d}" for number in itertools.count(1))

    def lock(self, fullname: str) -> None:
        """Lock the thread `fullname` (t3_...): replies in it answer THREAD_LOCKED."""
        self._locked.add(fullname)

    def user_token(self, form: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """The password grant: a user token for the test account, else Reddit's invalid_grant."""
        if (form.get("username"), form.get("password")) != (USERNAME, PASSWORD):
            return 200, {}, {"error": "invalid_grant"}  # Reddit answers a wrong password so
        token = {"access_token": USER_TOKEN, "token_type": "bearer", "expires_in": 86400}
        return 200, {}, token | {"scope": "*"}

    def post_comment(self, authorization: str, body: str) -> tuple[int, Any]:
        """Status and JSON for POST /api/comment; only a user's token may comment."""
        if authorization != f"bearer {USER_TOKEN}":
            return 403, {"message": "Forbidden", "error": 403}  # an app-only token cannot post
        form = {key: values[0] for key, values in parse_qs(body).items()}
        if form.get("api_type") != "json":
            return 200, {"jquery": []}  # Reddit's old jQuery answer, which praw cannot read
        parent = self._things.get(form.get("thing_id", ""))
        error = self._refusal(form.get("thing_id", ""), parent)
        if error or parent is None:
            return 200, {"json": {"errors": [error]}}
        comment = self._new_comment(parent["data"], form.get("text", ""))
        self.comments.append(comment)
        return 200, {"json": {"errors": [], "data": {"things": [comment]}}}

    def _refusal(self, thing_id: str, parent: dict | None) -> list[str] | None:
        """Reddit's error triple for a reply that cannot be made, or None."""
        if parent is None:
            return ["INVALID_THING_ID", "that thing does not exist", "thing_id"]
        data = parent["data"]
        if data.get("author") == "[deleted]" and data.get("body") in ("[deleted]", "[removed]"):
            return ["DELETED_COMMENT", "that comment has been deleted", "parent"]
        if data.get("locked") or (data.get("link_id") or thing_id) in self._locked:
            return ["THREAD_LOCKED", "Comments are locked.", "parent"]
        return None

    def _new_comment(self, parent: dict[str, Any], text: str) -> dict[str, Any]:
        """A new t1 under `parent` as Reddit returns it, permalink and all."""
        thread_name = parent.get("link_id") or parent["name"]
        thread = self._things[thread_name]["data"]
        comment_id = next(self._new_ids)
        data = {
            "id": comment_id,
            "name": f"t1_{comment_id}",
            "body": text,
            "author": USERNAME,
            "parent_id": parent["name"],
            "link_id": thread_name,
            "subreddit": thread["subreddit"],
            "permalink": f"{thread['permalink']}{comment_id}/",
            "created_utc": time.time(),
            "score": 1,
            "replies": "",
        }
        return {"kind": "t1", "data": data}
