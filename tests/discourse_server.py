"""A fake Discourse forum on 127.0.0.1 speaking the part of its API a reply uses.

`POST /posts.json` with a JSON body (`topic_id`, `raw`, optional `reply_to_post_number`) and
the `Api-Key` / `Api-Username` headers creates a post and answers it as Discourse does (`id`,
`topic_id`, `post_number`, `topic_slug`, ...). A wrong key or user answers 403 with Discourse's
`errors`, an unknown topic 422; a test can script failures (429 with Retry-After, 503) and reads
back every post created and every request received.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.background import ALIVE_PATH, BackgroundServer, send_json

API_KEY = "test-discourse-key-9e41"
API_USERNAME = "acme_support"


@dataclass(frozen=True)
class Received:
    """One POST: its path, its headers (names lower-case) and its JSON body as sent."""

    path: str
    headers: dict[str, str]
    body: Any


class DiscourseServer(BackgroundServer):
    """The fake forum: add topics, script failures, read `posts` and `received` back."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """No topics, no posts, no requests, nothing failing."""
        with self.lock:
            self.topics: dict[int, dict[str, Any]] = {}
            self.posts: list[dict[str, Any]] = []
            self.received: list[Received] = []
            self.script: list[tuple[int, dict[str, str]]] = []
            self._post_ids = itertools.count(1001)

    def add_topic(self, topic_id: int, slug: str, posts: int = 1) -> None:
        """A topic that already holds `posts` posts."""
        with self.lock:
            self.topics[topic_id] = {"slug": slug, "posts": posts}

    def fail(self, status: int, times: int = 1, **headers: str) -> None:
        """Answer the next `times` posts with `status` (headers as retry_after="10")."""
        named = {name.replace("_", "-"): str(value) for name, value in headers.items()}
        with self.lock:
            self.script += [(status, named)] * times

    def make_server(self) -> ThreadingHTTPServer:
        """Build the server bound to 127.0.0.1 at a free port."""
        forum = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                found = self.path == ALIVE_PATH
                self._send(200 if found else 404, {}, {} if found else {"errors": ["Not found"]})

            def do_POST(self) -> None:  # noqa: N802
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name.lower(): value for name, value in self.headers.items()}
                with forum.lock:
                    status, extra, answer = forum._answer(self.path, headers, data)
                self._send(status, extra, answer)

            def _send(self, status: int, headers: dict[str, str], answer: Any) -> None:
                send_json(self, status, headers, json.dumps(answer, ensure_ascii=False))

            def log_message(self, *args: Any) -> None:
                """Quiet: tests read what was received, not the access log."""

        return ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    def _answer(self, path: str, headers: dict[str, str], data: bytes) -> tuple[int, dict, Any]:
        """Status, headers and JSON for one POST (called under the lock)."""
        try:
            body = json.loads(data or b"{}")
        except ValueError:
            return 400, {}, {"errors": ["The request body is not JSON."]}
        self.received.append(Received(path, headers, body))
        if path != "/posts.json":
            return 404, {}, {"errors": ["The requested URL or resource could not be found."]}
        if (headers.get("api-key"), headers.get("api-username")) != (API_KEY, API_USERNAME):
            reason = "You are not permitted to view the requested resource. "
            reason += "The API username or key is invalid."
            return 403, {}, {"errors": [reason], "error_type": "invalid_access"}
        if self.script:
            status, extra = self.script.pop(0)
            return status, extra, _failure(status, extra)
        topic = self.topics.get(body.get("topic_id"))
        if topic is None or not str(body.get("raw") or "").strip():
            return 422, {}, {"action": "create_post", "errors": ["Topic not found"]}
        topic["posts"] += 1
        post = {
            "id": next(self._post_ids),
            "username": API_USERNAME,
            "raw": body["raw"],
            "post_number": topic["posts"],
            "topic_id": body["topic_id"],
            "topic_slug": topic["slug"],
            "reply_to_post_number": body.get("reply_to_post_number"),
        }
        self.posts.append(post)
        return 200, {}, post


def _failure(status: int, headers: dict[str, str]) -> dict[str, Any]:
    """Discourse's body for a scripted failure."""
    if status == 429:
        wait = int(headers.get("retry-after", "10"))
        reason = f"You’ve performed this action too many times. Please wait {wait} seconds."
        extras = {"wait_seconds": wait, "time_left": f"{wait} seconds"}
        return {"errors": [reason], "error_type": "rate_limit", "extras": extras}
    return {"errors": ["The server encountered an error."]}
