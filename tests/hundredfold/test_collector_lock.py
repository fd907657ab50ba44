"""One collector at a time on SQLite: a second `collect` says who is collecting and waits."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import UTC, datetime, timedelta

from hundredfold.collector_lock import collector_lock, lock_path
from tests.hundredfold.test_privacy_cli import ANGRY, write_export
from tests.hundredfold.test_serve_command import write_config


def test_a_second_collector_on_sqlite_waits_and_says_for_whom(tmp_path):
    url = f"sqlite:///{tmp_path / 'hundredfold.db'}"
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    export = write_export(tmp_path / "export.csv", [("c1", "mia", ANGRY, hour_ago)])
    write_config(tmp_path, url, export)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUNDREDFOLD_")}
    with collector_lock(url):
        assert f"pid {os.getpid()}" in lock_path(url).read_text()
        waiting = subprocess.Popen(["hundredfold", "collect", "--once"], cwd=tmp_path,
                                   env=environment, stderr=subprocess.PIPE, text=True)  # fmt: skip
        line = waiting.stderr.readline()
        assert "another collector is running on this database (pid" in line
        time.sleep(1)
        assert waiting.poll() is None  # still waiting while the first one collects
    _, rest = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, rest
    assert lock_path(url).read_text() == ""  # released, and nobody named as holding it


def test_postgresql_and_memory_databases_take_no_lock_file():
    assert lock_path("postgresql+psycopg://postgres@127.0.0.1:5432/test") is None
    assert lock_path("sqlite://") is None and lock_path("sqlite:///:memory:") is None
