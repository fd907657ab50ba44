"""Serve the Streamlit dashboard over the configured database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dashboard

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


def serve_dashboard(
    database_url: str, config_path: Path | None, host: str, port: int, brand_name: str = ""
) -> int:
    """Run the dashboard until interrupted; the URL to open is printed first."""
    environment = dict(os.environ, HUNDREDFOLD_DATABASE_URL=database_url)
    if brand_name:  # the demo's brand, which no config file names
        environment.setdefault("HUNDREDFOLD_BRAND_NAME", brand_name)
    if config_path is not None:
        environment["HUNDREDFOLD_CONFIG"] = str(config_path.resolve())
    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    print(f"Hundredfold dashboard: http://{shown_host}:{port}/  (Ctrl+C stops it)", flush=True)
    process = subprocess.Popen(
        dashboard_command(host, port), env=environment, stdout=sys.stderr, stderr=sys.stderr
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)
        return 0
