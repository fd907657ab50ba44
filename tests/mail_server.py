"""A real IMAP server for tests: pymap's in-memory (dict) backend on 127.0.0.1 at a free port.

pymap (PyPI) runs as a child process with one login (`--demo-user/--demo-password`) and no
demo data. Tests give each case its own folder (CREATE) and put mail in it with APPEND, the
protocol's own way to add messages, so every test starts from an empty folder.
"""

from __future__ import annotations

import imaplib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime

USER = "support"
PASSWORD = "imap-test-password"


def pymap_installed() -> bool:
    """Whether PyPI's pymap can be run here (the dev extra installs it)."""
    return importlib.util.find_spec("pymap") is not None


class MailServer:
    """pymap serving plain IMAP on 127.0.0.1; start() returns once it answers."""

    def __init__(self):
        self.port = 0
        self._process: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile()
        self._connection: imaplib.IMAP4 | None = None
        self._setup_lock = threading.Lock()

    def start(self, wait_seconds: float = 20.0) -> MailServer:
        """Run pymap; a port taken between our probe and its bind is tried again."""
        for _ in range(3):
            self.port = _free_port()
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from pymap.main import main; main()",
                    "--pid-file",  # only used when the `pid` package is installed
                    f"hundredfold-test-pymap-{os.getpid()}-{self.port}",
                    "--no-service",
                    "admin",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--no-tls",
                    "dict",
                    "--demo-user",
                    USER,
                    "--demo-password",
                    PASSWORD,
                ],
                stdout=self._log,
                stderr=self._log,
            )
            if self._wait_until_answering(wait_seconds):
                return self
            self.stop()
        self._log.seek(0)
        output = self._log.read().decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"pymap did not start on 127.0.0.1:\n{output}")

    def _wait_until_answering(self, wait_seconds: float) -> bool:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                return False
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as probe:
                    probe.login(USER, PASSWORD)
                    return True
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Stop pymap (SIGTERM, then SIGKILL if it lingers)."""
        self._connection = None
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._process = None

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
        self._log.close()

    def client(self) -> imaplib.IMAP4:
        """A new logged-in imaplib connection (a login costs pymap ~0.5 s of hashing)."""
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=5)
        connection.login(USER, PASSWORD)
        return connection

    def new_folder(self, prefix: str = "case-") -> str:
        """Create an empty folder with a unique name and return the name (as sent on the wire)."""
        name = f"{prefix}{uuid.uuid4().hex[:10]}"
        status, data = self._setup(lambda connection: connection.create(name))
        assert status == "OK", data
        return name

    def deliver(self, folder: str, message: bytes, received_at: datetime | None = None) -> int:
        """APPEND one message to `folder` and return its UID."""
        when = received_at or time.time()
        status, data = self._setup(lambda c: c.append(folder, "", when, message))
        assert status == "OK", data
        # The answer is "[APPENDUID <uidvalidity> <uid>] APPEND completed." (RFC 4315).
        return int(data[0].split(b"]")[0].split()[-1])

    def flags(self, folder: str) -> list[bytes]:
        """The FLAGS of every message in `folder`, read without changing them."""

        def read(connection: imaplib.IMAP4):
            connection.select(folder, readonly=True)
            return connection.uid("FETCH", "1:*", "(FLAGS)")

        status, data = self._setup(read)
        assert status == "OK", data
        return [item for item in data if isinstance(item, bytes)]

    def _setup(self, command):
        """Run a setup command on one kept connection: pymap hashes every login's password."""
        with self._setup_lock:
            if self._connection is None:
                self._connection = self.client()
            return command(self._connection)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
