"""Machine-readable output: `--json` prints exactly one JSON document on one stdout line."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(document: Any) -> None:
    """Write `document` as one JSON line on stdout (dates and other values as text)."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
