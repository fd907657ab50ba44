"""Argument types for ids and counts: a value no database column holds is refused by argparse
(a clear message and exit 2) instead of failing in the driver with a traceback."""

from __future__ import annotations

import argparse
from collections.abc import Callable

# Ids are INTEGER columns: 32 bits on PostgreSQL (a larger value is an error there, not "no
# such case"), and SQLite numbers rows one after another from 1. Past 64 bits the SQLite
# driver cannot even bind the value. No stored id is larger than this.
LARGEST = 2**31 - 1


def whole_number(what: str) -> Callable[[str], int]:
    """An argparse type taking a whole number from 1 to LARGEST, named `what` when refused."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{what} must be a whole number, not {text[:40]!r}"
            ) from None
        if not 1 <= value <= LARGEST:
            raise argparse.ArgumentTypeError(
                f"{what} must be from 1 to {LARGEST}, not {text[:40]}"
            )  # fmt: skip
        return value

    parse.__name__ = what  # argparse names the type in some of its messages
    return parse


case_id_argument = whole_number("a case id")
alert_id_argument = whole_number("an alert id")
count_argument = whole_number("a count")
