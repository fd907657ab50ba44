"""Machine-readable output: `--json` prints exactly one JSON document on one stdout line."""

from __future__ import annotations

import json
import sys
from typing import Any

from hundredfold.redaction import hide_in


def print_json(document: Any) -> None:
    """Write `document` as one JSON line on stdout (dates and other values as text).

    The config's secrets are hidden in it: text stored by an older version may hold them.
    """
    text = json.dumps(hide_in(document), ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
