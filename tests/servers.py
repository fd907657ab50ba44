"""Real local servers for tests: an HTTP feed server on 127.0.0.1 with routes set per test.

The feed server speaks plain HTTP/1.1 from a background thread. Each route says what to
answer (body, status, validators, a delay, chunked or dripping delivery, gzip), and every
request is recorded so a test can assert what the client sent.
"""

from __future__ import annotations

import email.utils
import gzip
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.background import ALIVE_PATH, BackgroundServer


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds to wait before answering; cut short when the server stops
    chunked: bool = False  # send the body chunked, with no Content-Length
    drip: float = 0.0  # seconds between body pieces: a server that is slow, not silent
    drip_pieces: int = 10
    gzip: bool = False  # send the body gzip-compressed (Content-Encoding: gzip)
    fail_first: int = 0  # answer 503 to this many requests before answering as set
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping must not hold up shutdown

    def __init__(self, owner: FeedServer):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner

    def handle_error(self, request, client_address):
        """A client that gave up (timeout, size limit) closes early: not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args):
        """Keep test output clean; requests are recorded instead."""

    def do_GET(self):
        owner = self.server.owner
        path = urlsplit(self.path).path
        if path == ALIVE_PATH:
            self._answer(200, {"Content-Type": "text/plain"}, b"ok")
            return
        owner._record(RecordedRequest("GET", path, {k.lower(): v for k, v in self.headers.items()}))
        route = owner._route_for(path)
        if route is None:
            self._answer(404, {"Content-Type": "text/plain"}, b"no such route")
            return
        if route.fail_first > 0:
            route.fail_first -= 1
            self._answer(503, {"Content-Type": "text/plain", "Retry-After": "1"}, b"busy")
            return
        if route.delay and owner._stopping.wait(route.delay):
            self.close_connection = True
            return
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if route.status == 200 and self._not_modified(route):
            self._answer(304, validators, b"")
            return
        headers = {"Content-Type": route.content_type, **validators, **route.headers}
        body = route.body
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._answer(route.status, headers, body, chunked=route.chunked, route=route)

    def _not_modified(self, route: Route) -> bool:
        """RFC 9110 order: If-None-Match decides when sent, else If-Modified-Since."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            if not route.etag:
                return False
            sent = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in sent or route.etag.removeprefix("W/") in sent
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since and route.last_modified:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
                modified = email.utils.parsedate_to_datetime(route.last_modified)
            except (TypeError, ValueError):
                return False
            return modified <= since
        return False

    def _answer(self, status, headers, body, chunked=False, route=None):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if status == 304 or not body:
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            return
        pieces = [body]
        if route is not None and route.drip:
            size = max(1, -(-len(body) // route.drip_pieces))
            pieces = [body[i : i + size] for i in range(0, len(body), size)]
        elif chunked:
            pieces = [body[i : i + 16384] for i in range(0, len(body), 16384)]
        for index, piece in enumerate(pieces):
            if index and route is not None and route.drip:
                if self.server.owner._stopping.wait(route.drip):
                    return
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            self.wfile.flush()
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


class FeedServer(BackgroundServer):
    """An HTTP server on 127.0.0.1 at a free port, serving routes set by the test."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._routes: dict[str, Route] = {}
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()

    def make_server(self) -> ThreadingHTTPServer:
        """The server, its handlers reaching this object for routes."""
        self._stopping.clear()
        return _Server(self)

    def before_stop(self) -> None:
        """Handlers that are sleeping or dripping are woken and give up."""
        self._stopping.set()

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, body: bytes | str = b"", **options) -> str:
        """Set what `path` answers (see Route for options); returns the route's full URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self._lock:
            self._routes[path] = Route(body=body, **options)
        return self.url(path)

    def reset(self) -> None:
        """Forget every route and recorded request (between tests)."""
        with self._lock:
            self._routes.clear()
            self._requests.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == path]

    def _route_for(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(path)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)


def http_date(moment: float) -> str:
    """An HTTP date (IMF-fixdate) for a Unix timestamp, as Last-Modified carries."""
    return email.utils.formatdate(moment, usegmt=True)
