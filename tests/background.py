"""A local HTTP server run from a daemon thread: started, awaited, stopped the same way by all."""

from __future__ import annotations

import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

ALIVE_PATH = "/__alive__"  # every test server answers 200 here, so start() knows it is up


def send_json(handler: BaseHTTPRequestHandler, status: int, headers: dict, text: str) -> None:
    """Answer a request with a JSON text (UTF-8), its length and any extra headers."""
    data = text.encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class BackgroundServer:
    """Base of the test servers: a subclass says how to build its ThreadingHTTPServer."""

    def __init__(self) -> None:
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def make_server(self) -> ThreadingHTTPServer:
        """Build the server bound to 127.0.0.1 at a free port."""
        raise NotImplementedError

    def before_stop(self) -> None:
        """Wake handlers that are still waiting (a delayed answer), so shutdown is quick."""

    def start(self, wait_seconds: float = 5.0) -> Self:
        """Serve from a background thread and return once the server answers."""
        self._httpd = self.make_server()
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                with urllib.request.urlopen(self.base_url + ALIVE_PATH, timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"test server at {self.base_url} did not answer") from None
                time.sleep(0.02)

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.before_stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"
