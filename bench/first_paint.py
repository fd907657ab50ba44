"""How long the dashboard's first page takes in a fresh browser, with the server warm.

    python bench/first_paint.py [--database-url URL] [--runs 5] [--json]

Starts `hundredfold dashboard` on the database (default: the bench database that
`hundredfold bench --posts N` builds in this folder), opens the Overview once to warm the
server, then launches a new headless Chromium per run (no cache, no cookies) and times, from
navigation, until the headline figures show and until every chart has drawn. Needs the dev
extra (Playwright) and a Chromium at /usr/bin/chromium (or --chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

FIGURES = '[data-testid="stMetric"]'
CHART_DRAWN = '[data-testid="stPlotlyChart"] .main-svg'
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update"]  # fmt: skip


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_dashboard(database_url: str, folder: Path) -> tuple[subprocess.Popen, str]:
    """`hundredfold dashboard` on a free port against the database; its URL once healthy."""
    config = folder / "hundredfold.toml"
    config.write_text(f"database_url = {json.dumps(database_url)}\n", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        ["hundredfold", "dashboard", "--config", str(config), "--port", str(port)],
        cwd=folder, stdout=(folder / "dashboard.log").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.3)
    raise SystemExit(f"the dashboard did not start: see {folder / 'dashboard.log'}")


def one_visit(playwright, chromium: str, url: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """A fresh browser's first Overview: seconds to the headline figures and to every chart."""
    browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(FIGURES, timeout=120_000)
        figures = time.perf_counter() - started
        page.wait_for_selector(CHART_DRAWN, timeout=120_000)
        page.wait_for_function(
            "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0"
            " && [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
            ".every(c => c.querySelector('.main-svg'))",
            timeout=120_000,
        )
        charts = time.perf_counter() - started
        return {"figures_s": figures, "charts_s": charts}
    finally:
        browser.close()


def main() -> int:
    """Run the visits; print the medians (and each run) as text or one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:///./hundredfold-bench.db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url = args.database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{Path(url.removeprefix('sqlite:///')).resolve()}"
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="hundredfold-paint-") as folder:
        server, address = start_dashboard(url, Path(folder))
        try:
            with sync_playwright() as playwright:
                warm = one_visit(playwright, args.chromium, address)
                runs = [one_visit(playwright, args.chromium, address) for _ in range(args.runs)]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    report = {
        "cold_server": {key: round(value, 2) for key, value in warm.items()},
        "figures_s_median": round(statistics.median(r["figures_s"] for r in runs), 2),
        "charts_s_median": round(statistics.median(r["charts_s"] for r in runs), 2),
        "runs": [{key: round(value, 2) for key, value in r.items()} for r in runs],
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"first server visit: figures {warm['figures_s']:.2f} s, "
              f"charts {warm['charts_s']:.2f} s")  # fmt: skip
        print(f"fresh browser, server warm ({args.runs} runs, medians): "
              f"figures {report['figures_s_median']} s, "
              f"every chart {report['charts_s_median']} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
