"""`hundredfold serve` as a team's machine runs it: alerts on their own clock with nothing
collected, one log line per source run, and a clean stop on SIGTERM (on SQLite and
PostgreSQL; the service is a real process)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.hundredfold.test_privacy_cli import ANGRY, COLUMNS, write_export

SLA_WARNING_AFTER = timedelta(hours=6) * 0.8  # 80% of the default 6-hour target


def write_config(folder: Path, database_url: str, export: dict) -> None:
    """hundredfold.toml with the one export as a `file` source (due every hour)."""
    columns = ", ".join(f'{ours} = "{theirs}"' for ours, theirs in COLUMNS.items())
    (folder / "hundredfold.toml").write_text(
        f'database_url = "{database_url}"\n[[source]]\nkind = "file"\nname = "{export["name"]}"\n'
        f'path = "{export["path"]}"\nevery = "1h"\ncolumns = {{ {columns} }}\n',
        encoding="utf-8",
    )


def hundredfold(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """One command in `folder`, as an operator runs it."""
    return subprocess.run(["hundredfold", *args], cwd=folder, capture_output=True, text=True,
                          timeout=180, env=_environment())  # fmt: skip


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("HUNDREDFOLD_")}


def start_service(folder: Path, *args: str) -> tuple[subprocess.Popen, Path]:
    """`hundredfold serve --no-dashboard ARGS` in the background, its log in a file."""
    log = folder / "serve.log"
    process = subprocess.Popen(
        ["hundredfold", "serve", "--no-dashboard", *args], cwd=folder, env=_environment(),
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return process, log


def wait_for(check, seconds: float, what: str):
    """Poll `check` until it returns something true, or fail naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.5)
    raise AssertionError(f"no {what} within {seconds} s")


def stop(process: subprocess.Popen, log: Path) -> str:
    """SIGTERM, a clean exit, and the log."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, log.read_text()
    return log.read_text()


def test_an_sla_warning_fires_on_time_with_nothing_collected(database_url, tmp_path):
    now = datetime.now(UTC)
    warning_at = now + timedelta(seconds=12)
    export = write_export(tmp_path / "export.csv",
                          [("c1", "mia", ANGRY, warning_at - SLA_WARNING_AFTER)])  # fmt: skip
    write_config(tmp_path, database_url, export)
    assert hundredfold(tmp_path, "collect", "--once").returncode == 0

    def open_kinds() -> list[str]:
        listed = hundredfold(tmp_path, "alerts", "--json")
        return [alert["kind"] for alert in json.loads(listed.stdout)["alerts"]]

    assert "sla_warning" not in open_kinds()  # not yet: its time has not come
    process, log = start_service(tmp_path, "--alerts-every", "1s")
    try:
        wait_for(lambda: "sla_warning" in open_kinds(), 60, "SLA warning")
        assert datetime.now(UTC) >= warning_at
    finally:
        text = stop(process, log)
    # The source was not due (every hour): nothing was collected while the warning fired.
    assert "source export" not in text and "stopped" in text


def test_each_due_source_run_is_one_log_line(database_url, tmp_path):
    now = datetime.now(UTC)
    export = write_export(tmp_path / "export.csv", [
        ("c1", "mia", ANGRY, now - timedelta(hours=1)),
        ("c2", "leo", "Lovely kettle, works great", now - timedelta(hours=2)),
    ])  # fmt: skip
    write_config(tmp_path, database_url, export)
    process, log = start_service(tmp_path, "--check-every", "1s")
    try:
        wait_for(lambda: "source export" in log.read_text(), 90, "source run logged")
        time.sleep(3)  # three more looks for due sources: the source is not due again
    finally:
        text = stop(process, log)
    runs = [line for line in text.splitlines() if "source export" in line]
    assert runs == ["WARNING hundredfold.serve: source export (file): ok, 2 new, 0 updated"]
