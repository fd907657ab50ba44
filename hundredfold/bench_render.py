"""The Overview page rendered whole (Streamlit's script run, as a server does for a browser),
timed with its data cache emptied before each run: every figure read from the database."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
RENDER_TIMEOUT_S = 300


def time_overview_render(database_url: str, repeat: int, language: str = "zh") -> dict:
    """Median and slowest seconds of `repeat` cold Overview renders (after one warm-up run,
    which imports the page's libraries and opens the engine), and the figures it showed."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    previous = os.environ.get("HUNDREDFOLD_DATABASE_URL")
    os.environ["HUNDREDFOLD_DATABASE_URL"] = database_url
    try:
        runs = []
        for attempt in range(repeat + 1):
            st.cache_data.clear()
            app = AppTest.from_file(str(APP), default_timeout=RENDER_TIMEOUT_S)
            app.session_state["language"] = language
            started = time.perf_counter()
            app.run()
            if attempt:
                runs.append(time.perf_counter() - started)
            if app.exception:
                raise RuntimeError(f"the Overview failed to render: {app.exception[0].value}")
    finally:
        if previous is None:
            os.environ.pop("HUNDREDFOLD_DATABASE_URL", None)
        else:
            os.environ["HUNDREDFOLD_DATABASE_URL"] = previous
    return {"median_s": round(statistics.median(runs), 4), "max_s": round(max(runs), 4),
            "metrics": [metric.value for metric in app.metric]}  # fmt: skip
