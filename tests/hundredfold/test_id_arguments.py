"""Ids on the command line: a value no id column holds is refused by argparse with a clear
message and exit 2, on every subcommand that takes one; the largest valid id is "no such case"
on both databases, never a database error."""

from __future__ import annotations

import pytest

from hundredfold.cli import main
from hundredfold.id_arguments import LARGEST

CASE_COMMANDS = [
    ["queue", "claim", "{id}", "--as", "ana"],
    ["queue", "claim", "7", "{id}", "--as", "ana"],  # any one of several
    ["queue", "release", "{id}", "--as", "ana"],
    ["queue", "resolve", "{id}", "--as", "ana"],
    ["queue", "not-a-complaint", "{id}", "--as", "ana"],
    ["queue", "assign", "{id}", "--as", "ana", "--to", "bo"],
    ["queue", "snooze", "{id}", "--as", "ana"],
    ["queue", "send", "{id}", "--as", "ana", "--text", "sorry"],
    ["queue", "reply", "{id}", "--as", "ana", "--url", "http://example.test/r"],
    ["queue", "note", "{id}", "--as", "ana", "--text", "called"],
    ["queue", "reopen", "{id}", "--as", "ana"],
]
ALERT_COMMANDS = [
    ["alerts", "ack", "{id}", "--as", "ana"],
    ["alerts", "snooze", "{id}", "--as", "ana"],
]
OUT_OF_RANGE = ["99999999999999999999", str(2**63), str(LARGEST + 1), "0", "-3"]


def with_id(command: list[str], value: str) -> list[str]:
    """The command with `value` where its id goes."""
    return [value if part == "{id}" else part for part in command]


@pytest.mark.parametrize("command", CASE_COMMANDS + ALERT_COMMANDS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_id_no_column_holds_is_refused_with_exit_2(command, value, capsys):
    with pytest.raises(SystemExit) as raised:
        main(with_id(command, value))
    assert raised.value.code == 2
    err = capsys.readouterr().err
    what = "an alert id" if command[0] == "alerts" else "a case id"
    assert f"{what} must be from 1 to {LARGEST}, not {value}" in err
    assert "Traceback" not in err


def test_an_id_that_is_not_a_number_is_refused_too(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["queue", "claim", "12abc", "--as", "ana"])
    assert raised.value.code == 2
    assert "a case id must be a whole number, not '12abc'" in capsys.readouterr().err


def test_a_huge_limit_is_refused(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["queue", "list", "--limit", "99999999999999999999"])
    assert raised.value.code == 2
    assert "a count must be from 1 to" in capsys.readouterr().err


@pytest.mark.parametrize("command", [CASE_COMMANDS[0], CASE_COMMANDS[8], ALERT_COMMANDS[0]])
def test_the_largest_id_is_no_such_case_on_both_databases(
    command, database_url, monkeypatch, capsys
):
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", database_url)
    assert main(with_id(command, str(LARGEST))) == 3
    err = capsys.readouterr().err
    assert f"{LARGEST} does not exist" in err and "error" not in err.lower()
