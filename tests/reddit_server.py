"""A fake Reddit API on 127.0.0.1 that praw itself talks to, pointed at by oauth_url/reddit_url.

It answers the OAuth token request of an app-only (client credentials) login, or of a user's
(password grant, tests/reddit_writes), and replays recorded Reddit JSON: listings
(`/r/{sub}/new`, `/search`), threads (`/comments/{id}`, the [submission listing, comment
listing] pair) and `/api/info`, built from every thing those recordings hold. Each API answer
carries Reddit's x-ratelimit-* headers from a budget that every request spends. A test can make
a path fail (429, 5xx) a number of times, change the score or comment count `/api/info`
reports, and read back every request praw made and every comment posted (`comments`).
"""

from __future__ import annotations

import base64
import copy
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.background import ALIVE_PATH, BackgroundServer, send_json
from tests.reddit_writes import USER_TOKEN, RedditWrites

CLIENT_ID = "hundredfold-test-app"
CLIENT_SECRET = "test-secret-1f9c"
ACCESS_TOKEN = "test-access-token-7d2e"


@dataclass
class Failure:
    """How a path fails: `status` for `times` requests (None: always) after letting `skip` by."""

    status: int
    times: int | None = None
    skip: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    seen: int = 0


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received; header names are lower-case, query values joined."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: str


class RedditServer(RedditWrites, BackgroundServer):
    """The fake Reddit: start it, load recordings, point praw's oauth_url/reddit_url at it."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget recordings, failures, reach changes and requests; refill the budget."""
        with self._lock:
            self._listings: dict[tuple[str, str | None, str | None], Any] = {}
            self._threads: dict[str, Any] = {}
            self._things: dict[str, dict[str, Any]] = {}
            self._reach: dict[str, dict[str, Any]] = {}
            self._failures: dict[str, Failure] = {}
            self._requests: list[RecordedRequest] = []
            self._budget = {"remaining": 995, "used": 5, "reset": 300}
            self.reset_writes()

    def make_server(self) -> ThreadingHTTPServer:
        """The server, its handler class bound to this fake."""
        owner = self

        class Handler(_Handler):
            server_owner = owner

        return ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        """Base URL for both oauth_url and reddit_url."""
        return self.base_url

    def serve_listing(
        self, path: str, recorded: Any, after: str | None = None, q: str | None = None
    ):
        """Answer GET `path` (with this `after` / search `q`) with a recorded Listing."""
        with self._lock:
            self._listings[(_normal(path), after, q or None)] = recorded
            self._index(recorded)

    def serve_thread(self, recorded: list) -> str:
        """Answer GET /comments/{id} with a recorded [submission, comments] pair; returns id."""
        submission_id = recorded[0]["data"]["children"][0]["data"]["id"]
        with self._lock:
            self._threads[submission_id] = recorded
            self._index(recorded)
        return submission_id

    def set_reach(self, fullname: str, **fields: Any) -> None:
        """Make /api/info report these fields (score, num_comments, ...) for `fullname`."""
        with self._lock:
            self._reach.setdefault(fullname, {}).update(fields)

    def fail(self, path: str, status: int, times: int | None = None, skip: int = 0, **headers):
        """Answer `status` on `path` (`times` times, None: always) after `skip` good answers."""
        headers = {name.replace("_", "-"): str(value) for name, value in headers.items()}
        with self._lock:
            self._failures[_normal(path)] = Failure(status, times, skip, headers)

    def set_budget(self, remaining: int, used: int, reset: int) -> None:
        """Set the rate-limit budget; every API request spends one before it is answered."""
        with self._lock:
            self._budget = {"remaining": remaining, "used": used, "reset": reset}

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == _normal(path)]

    def _index(self, value: Any) -> None:
        """Remember every t3/t1 in a recording, so /api/info can answer for it."""
        if isinstance(value, list):
            for item in value:
                self._index(item)
        elif isinstance(value, dict):
            if value.get("kind") in ("t1", "t3"):
                self._things[value["data"]["name"]] = value
                self._index(value["data"].get("replies"))
            elif value.get("kind") == "Listing":
                self._index(value["data"]["children"])

    def _answer(self, request: RecordedRequest) -> tuple[int, dict[str, str], Any]:
        """Status, headers and JSON body for one request (called under the lock)."""
        self._requests.append(request)
        failure = self._failures.get(request.path)
        if failure is not None:
            failure.seen += 1
            if failure.seen > failure.skip and (
                failure.times is None or failure.seen <= failure.skip + failure.times
            ):
                return failure.status, failure.headers, _error(failure.status)
        if request.path == "/api/v1/access_token":
            return self._token(request)
        authorization = request.headers.get("authorization", "")
        if authorization not in (f"bearer {ACCESS_TOKEN}", f"bearer {USER_TOKEN}"):
            return 401, {"www-authenticate": 'Bearer realm="reddit"'}, _error(401)
        budget = self._budget
        budget["remaining"], budget["used"] = budget["remaining"] - 1, budget["used"] + 1
        headers = {
            "x-ratelimit-remaining": f"{budget['remaining']:.1f}",
            "x-ratelimit-used": str(budget["used"]),
            "x-ratelimit-reset": str(budget["reset"]),
        }
        if request.method == "POST" and request.path == "/api/comment":
            status, answer = self.post_comment(authorization, request.body)
            return status, headers, answer
        return (
            200 if (body := self._body(request)) is not None else 404,
            headers,
            body or _error(404),
        )

    def _token(self, request: RecordedRequest) -> tuple[int, dict[str, str], Any]:
        """The app-only OAuth answer, for the right client id and secret only."""
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return 401, {}, {"message": "Unauthorized", "error": 401}
        form = {key: values[0] for key, values in parse_qs(request.body).items()}
        if form.get("grant_type") == "password":
            return self.user_token(form)
        token = {"access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 86400}
        return 200, {}, token | {"scope": "*"}

    def _body(self, request: RecordedRequest) -> Any:
        """The recorded answer for a GET, or None for a 404."""
        path, query = request.path, request.query
        if path == "/api/info":
            found = [self._with_reach(name) for name in query.get("id", "").split(",")]
            return _listing([thing for thing in found if thing is not None])
        if path.startswith("/comments/"):
            return self._threads.get(path.split("/")[2])
        return self._listings.get((path, query.get("after"), query.get("q")))

    def _with_reach(self, name: str) -> dict | None:
        """A recorded thing as /api/info shows it now (with the reach a test set)."""
        thing = copy.deepcopy(self._things.get(name))
        if thing is not None:
            thing["data"].update(self._reach.get(name, {}))
            thing["data"]["replies"] = ""  # /api/info never nests replies
        return thing


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_owner: RedditServer

    def log_message(self, format, *args):
        """Keep test output clean; requests are recorded instead."""

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        if parts.path == ALIVE_PATH:
            self._send(200, {}, "ok")
            return
        length = int(self.headers.get("Content-Length") or 0)
        request = RecordedRequest(
            method,
            _normal(parts.path),
            {key: ",".join(values) for key, values in parse_qs(parts.query).items()},
            {key.lower(): value for key, value in self.headers.items()},
            self.rfile.read(length).decode("utf-8", "replace"),
        )
        owner = self.server_owner
        with owner._lock:
            status, headers, body = owner._answer(request)
        self._send(status, headers, json.dumps(body, ensure_ascii=False))

    def _send(self, status: int, headers: dict[str, str], text: str) -> None:
        send_json(self, status, headers, text)


def _normal(path: str) -> str:
    """Reddit ignores a trailing slash, a .json suffix and the case of subreddit names."""
    path = path.removesuffix("/").removesuffix(".json") or "/"
    return path.lower() if path.startswith("/r/") else path


def _listing(children: list) -> dict[str, Any]:
    """A Listing in Reddit's shape, as /api/info answers."""
    data = {"after": None, "dist": len(children), "modhash": "", "geo_filter": ""}
    return {"kind": "Listing", "data": data | {"children": children, "before": None}}


def _error(status: int) -> dict[str, Any]:
    """Reddit's JSON error body."""
    words = {401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests"}
    return {"message": words.get(status, "Internal Server Error"), "error": status}


SUBREDDIT_NEW = "/r/AcmeSupport/new"
QUERY = "acme refund"
THREADS = [
    "reddit_comments_deleted_and_removed.json",
    "reddit_comments_link_post.json",
    "reddit_comments_chinese.json",
]


def recorded(name: str) -> Any:
    """A recorded Reddit API response from tests/fixtures."""
    fixtures = Path(__file__).resolve().parent / "fixtures"
    return json.loads((fixtures / name).read_text(encoding="utf-8"))


def serve_recordings(server: RedditServer) -> RedditServer:
    """r/AcmeSupport's new posts (two pages), a search, and three threads, as recorded."""
    server.reset()
    server.serve_listing(SUBREDDIT_NEW, recorded("reddit_new_page1.json"))
    server.serve_listing(SUBREDDIT_NEW, recorded("reddit_new_page2.json"), after="t3_1cm1v7q")
    server.serve_listing("/search", recorded("reddit_search_new.json"), q=QUERY)
    for name in THREADS:
        server.serve_thread(recorded(name))
    return server
