"""The deployment in deploy/ as a team runs it: the compose file's processes (two collectors,
one dashboard) started here directly, on the local PostgreSQL, and the systemd units running
the same commands."""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from data import connect
from data.schema import posts
from tests.conftest import _postgres_database
from tests.hundredfold.test_many_collectors import feed

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database, as the compose file's postgres service gives."""
    yield from _postgres_database()


def compose_services() -> dict[str, dict]:
    """The compose file's services, its shared block merged in (YAML merge keys)."""
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["services"]


def unit_command(name: str) -> list[str]:
    """A systemd unit's ExecStart, its binary named by its basename."""
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read(DEPLOY / "systemd" / name, encoding="utf-8")
    binary, *args = shlex.split(unit["Service"]["ExecStart"])
    return [Path(binary).name, *args]


def test_the_systemd_units_run_what_the_compose_file_runs():
    services = compose_services()
    assert set(services) == {"postgres", "collector-1", "collector-2", "dashboard"}
    assert unit_command("hundredfold-collector@.service") == services["collector-1"]["command"]
    assert services["collector-1"]["command"] == services["collector-2"]["command"]
    assert unit_command("hundredfold-dashboard.service") == services["dashboard"]["command"]
    for name in ("collector-1", "collector-2", "dashboard"):
        environment = services[name]["environment"]
        assert environment["HUNDREDFOLD_CONFIG"] == "/etc/hundredfold/hundredfold.toml"
        assert environment["HUNDREDFOLD_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_compose_processes_share_the_sources_and_serve_the_dashboard(
    tmp_path, postgres_url, feed_server
):
    urls = [feed_server.route(f"/team/{n}.xml", feed(n)) for n in range(6)]
    config = tmp_path / "hundredfold.toml"
    lines = ['model = "fast"', 'timezone = "Asia/Shanghai"']
    for number, url in enumerate(urls):
        lines += ["[[source]]", 'kind = "rss"', f'name = "team-{number}"', f'url = "{url}"',
                  'every = "1h"', "retry_wait = 0.0"]  # fmt: skip
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUNDREDFOLD_")}
    environment |= {"HUNDREDFOLD_CONFIG": str(config), "HUNDREDFOLD_DATABASE_URL": postgres_url}
    # The compose file's first step: an admin, without whom the dashboard will not listen.
    subprocess.run(["hundredfold", "users", "add", "ana", "--role", "admin", "--password-stdin"],
                   input="a long enough password\n", text=True, env=environment, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    port = _free_port()
    processes = {}
    for name, service in compose_services().items():
        if name == "postgres":
            continue
        command = [str(port) if part == "8501" else part for part in service["command"]]
        log = (tmp_path / f"{name}.log").open("w")
        processes[name] = subprocess.Popen(command, cwd=tmp_path, env=environment, stdout=log,
                                           stderr=subprocess.STDOUT)  # fmt: skip
    try:
        engine = connect(postgres_url)
        deadline = time.monotonic() + 180
        health = None
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                stored = connection.execute(select(func.count()).select_from(posts)).scalar_one()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as answer:
                    health = answer.read().decode()
            except OSError:
                health = None
            if stored == 6 * 20 and health == "ok":
                break
            time.sleep(0.5)
        else:
            logs = {name: (tmp_path / f"{name}.log").read_text() for name in processes}
            pytest.fail(f"stored {stored} posts, dashboard health {health!r}; logs: {logs}")
        for number in range(6):  # two collectors, each source fetched by one of them
            assert len(feed_server.requests_to(f"/team/{number}.xml")) == 1
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        codes = {name: process.wait(timeout=120) for name, process in processes.items()}
    assert codes == {"collector-1": 0, "collector-2": 0, "dashboard": 0}
    with pytest.raises(OSError):  # the dashboard's Streamlit server went with it
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
    collector_log = (tmp_path / "collector-1.log").read_text()
    assert "stopped" in collector_log
