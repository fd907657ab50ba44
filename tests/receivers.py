"""Real local receivers for alert delivery tests: a webhook (HTTP) and a mailbox (SMTP).

The webhook answers a scripted list of statuses (e.g. 503, 503, then 200) and keeps every
body it accepted; the SMTP server is PyPI's aiosmtpd, keeping every message it was given.
"""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.background import ALIVE_PATH, BackgroundServer


class WebhookReceiver(BackgroundServer):
    """An HTTP endpoint on 127.0.0.1: POST bodies answered by script, accepted ones kept."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.script: list[int] = []  # statuses for the next requests; then 200
        self.reply: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}  # what robots answer
        self.requests = 0
        self.accepted: list[Any] = []

    def reset(self, script: list[int] | None = None) -> None:
        """Forget what was received; answer `script` before answering 200."""
        with self.lock:
            self.script, self.requests, self.accepted = list(script or []), 0, []
            self.reply = {"errcode": 0, "errmsg": "ok"}

    def make_server(self) -> ThreadingHTTPServer:
        """Build the server bound to 127.0.0.1 at a free port."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self.send_response(200 if self.path == ALIVE_PATH else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    status = receiver.script.pop(0) if receiver.script else 200
                    if status == 200:
                        receiver.accepted.append(json.loads(body))
                    answer = json.dumps(receiver.reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                """Quiet: tests read what was received, not the access log."""

        return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


class MailReceiver:
    """aiosmtpd's SMTP server on 127.0.0.1 at a free port; messages kept as parsed e-mail."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = 0
        self._controller: Any = None

    def start(self) -> MailReceiver:
        """Serve from aiosmtpd's own thread; returns once it answers."""
        from aiosmtpd.controller import Controller

        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                receiver.messages.append(
                    message_from_bytes(envelope.original_content, policy=policy.default)
                )
                return "250 Message accepted for delivery"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
