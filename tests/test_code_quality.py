"""The code stays as STYLE.md asks: ruff clean and formatted, mypy clean, modules small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
PACKAGES = ("collectors", "sentiment", "data", "dashboard", "hundredfold")


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--output-format", "concise", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_passes(command):
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_stay_under_three_hundred_lines():
    too_long = {
        str(path.relative_to(REPOSITORY)): length
        for package in PACKAGES
        for path in (REPOSITORY / package).rglob("*.py")
        if "migrations" not in path.parts
        and (length := len(path.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert too_long == {}
