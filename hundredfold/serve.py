"""Serve the Streamlit dashboard over the configured database."""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import dashboard
from data import connect
from data.access import users_exist
from hundredfold.config import Config, ConfigError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8501


def dashboard_command(host: str, port: int) -> list[str]:
    """The streamlit command line: headless, no telemetry, no developer toolbar."""
    app = Path(dashboard.__file__).with_name("app.py")
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--global.developmentMode", "false",
        "--theme.base", "light",
    ]  # fmt: skip


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_exposure(config: Config, host: str) -> None:
    """Refuse to serve customers' words beyond this machine while nobody has to sign in."""
    if is_loopback(host) or config.sign_in.oidc is not None:
        return
    engine = connect(config.database_url)
    try:
        if users_exist(engine):
            return
    finally:
        engine.dispose()
    raise ConfigError(
        f"--host {host}: no sign-in is configured, so anyone on the network would read every "
        "post; add a user first (hundredfold users add NAME --role admin) or set [sign_in.oidc]"
    )


def write_streamlit_secrets(config: Config, folder: Path) -> Path | None:
    """Streamlit's secrets file with the identity provider's [auth] table (owner-only)."""
    if config.sign_in.oidc is None:
        return None
    path = folder / "secrets.toml"
    lines = ["[auth]"] + [
        f"{key} = {_toml_string(value)}"
        for key, value in config.sign_in.oidc.streamlit_secrets()["auth"].items()
    ]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    tomllib.loads(path.read_text(encoding="utf-8"))  # written as it will be read
    return path


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


class DashboardProcess:
    """The Streamlit server as a child process, with its secrets file (removed on stop)."""

    def __init__(self, config: Config, host: str, port: int, brand_name: str = "") -> None:
        check_exposure(config, host)
        environment = dict(os.environ, HUNDREDFOLD_DATABASE_URL=config.database_url)
        if brand_name:  # the demo's brand, which no config file names
            environment.setdefault("HUNDREDFOLD_BRAND_NAME", brand_name)
        if config.path is not None:
            environment["HUNDREDFOLD_CONFIG"] = str(config.path.resolve())
        self._folder = tempfile.TemporaryDirectory(prefix="hundredfold-dashboard-")
        command = dashboard_command(host, port)
        if (secrets := write_streamlit_secrets(config, Path(self._folder.name))) is not None:
            command += ["--secrets.files", str(secrets)]
        shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
        print(f"Hundredfold dashboard: http://{shown_host}:{port}/  (Ctrl+C stops it)", flush=True)
        self.process = subprocess.Popen(
            command, env=environment, stdout=sys.stderr, stderr=sys.stderr
        )

    def stop(self) -> None:
        """End the server (politely, then for good) and remove its secrets."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._folder.cleanup()


def serve_dashboard(config: Config, host: str, port: int, brand_name: str = "") -> int:
    """Run the dashboard until interrupted; the URL to open is printed first."""
    dashboard = DashboardProcess(config, host, port, brand_name)
    # A supervisor stops us with SIGTERM: the Streamlit child must go with us, not linger on
    # the port.
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return dashboard.process.wait()
    except (KeyboardInterrupt, _Stopped):
        return 0
    finally:
        dashboard.stop()
        signal.signal(signal.SIGTERM, previous)


class _Stopped(Exception):
    """SIGTERM arrived while the dashboard was served."""


def _stop_on_sigterm(*_: object) -> None:
    """Turn SIGTERM into an exception, so the dashboard's child is stopped on the way out."""
    raise _Stopped


def add_address_arguments(parser) -> None:
    """--host and --port for commands that serve the dashboard."""
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for all)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
