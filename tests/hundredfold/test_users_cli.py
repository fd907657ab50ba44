"""`hundredfold users ...`, `--as` once users exist, and `dashboard --host` without sign-in:
as an operator runs them, against the working directory's default database."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from data import connect
from data.access import recent_refusals
from hundredfold.cli import main
from hundredfold.config import load_config
from tests.hundredfold.test_alert_cli import open_spike  # noqa: F401 (a fixture)

PASSWORD = "correct horse battery"


@pytest.fixture
def demo_queue(capsys):
    """A small demo load, with a case resolved and an alert open."""
    assert main(["demo", "--no-serve", "--limit", "200"]) == 0
    capsys.readouterr()


def add(name: str, role: str, monkeypatch) -> int:
    """`users add NAME --role ROLE --password-stdin`, the password on stdin."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    return main(["users", "add", name, "--role", role, "--password-stdin"])


def first_case(capsys) -> str:
    assert main(["queue", "list", "--json", "--view", "all"]) == 0
    return str(json.loads(capsys.readouterr().out)["cases"][0]["id"])


def test_users_are_added_listed_and_never_show_a_password(demo_queue, capsys, monkeypatch):
    assert add("ana", "manager", monkeypatch) == 0
    assert add("lee", "lead", monkeypatch) == 0
    assert add("ana", "lead", monkeypatch) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["users", "set-role", "lee", "admin"]) == 0
    assert main(["users", "disable", "ana"]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--json"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    listed = {user["name"]: user for user in json.loads(line)["users"]}
    assert (listed["lee"]["role"], listed["ana"]["active"]) == ("admin", False)
    assert PASSWORD not in line and "argon2" not in line and "password_hash" not in line


def test_passwords_come_from_stdin_or_a_prompt_never_the_command_line(demo_queue, capsys):
    quiet = subprocess.run(["hundredfold", "users", "add", "zoe", "--role", "manager"],
                           input="", capture_output=True, text=True, timeout=120)  # fmt: skip
    assert quiet.returncode == 2 and "--password-stdin" in quiet.stderr
    short = subprocess.run(["hundredfold", "users", "add", "zoe", "--role", "manager",
                            "--password-stdin"], input="short\n", capture_output=True,
                           text=True, timeout=120)  # fmt: skip
    assert short.returncode == 2 and "at least 10 characters" in short.stderr


def test_once_users_exist_as_must_name_a_user_whose_role_allows_it(demo_queue, capsys, monkeypatch):
    case_id = first_case(capsys)
    # Before any user exists the command line works as before.
    assert main(["queue", "claim", case_id, "--as", "ana"]) == 0
    assert main(["queue", "reply", case_id, "--as", "ana", "--url", "https://x.example/r"]) == 0
    assert main(["queue", "resolve", case_id, "--as", "ana"]) == 0
    for name, role in (("ana", "manager"), ("lee", "lead"), ("eve", "executive")):
        assert add(name, role, monkeypatch) == 0
    capsys.readouterr()
    assert main(["queue", "reopen", case_id, "--as", "ana"]) == 3
    assert "ana is a manager; reopening, assigning or closing others' cases needs a lead" in (
        capsys.readouterr().err
    )
    assert main(["queue", "claim", first_case(capsys), "--as", "eve"]) == 3
    assert main(["queue", "claim", first_case(capsys), "--as", "nobody"]) == 3
    assert "'nobody' is not a user" in capsys.readouterr().err
    assert main(["forget", "--author", "x", "--source", "x", "--as", "lee", "--yes"]) == 3
    assert main(["queue", "reopen", case_id, "--as", "lee"]) == 0
    engine = connect(load_config(None).database_url)
    refused = [(r["actor"], r["action"]) for r in recent_refusals(engine)]
    assert refused == [("lee", "forget"), ("nobody", "work_cases"), ("eve", "work_cases"),
                       ("ana", "lead_cases")]  # fmt: skip


def test_a_manager_cannot_acknowledge_an_alert_with_as(open_spike, capsys, monkeypatch):  # noqa: F811
    assert add("ana", "manager", monkeypatch) == 0
    assert add("lin", "lead", monkeypatch) == 0
    capsys.readouterr()
    assert main(["alerts", "ack", str(open_spike), "--as", "ana"]) == 3
    assert "acknowledging or snoozing alerts needs a lead" in capsys.readouterr().err
    assert main(["alerts", "snooze", str(open_spike), "--as", "ana", "--for", "1h"]) == 3
    assert main(["alerts", "ack", str(open_spike), "--as", "lin"]) == 0
    engine = connect(load_config(None).database_url)
    assert [r["actor"] for r in recent_refusals(engine)] == ["ana", "ana"]


def test_the_dashboard_refuses_a_network_address_without_sign_in(tmp_path, monkeypatch):
    result = subprocess.run(["hundredfold", "dashboard", "--host", "0.0.0.0"],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "no sign-in is configured" in line and "hundredfold users add" in line
    demo = subprocess.run(["hundredfold", "demo", "--host", "192.0.2.10"], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert demo.returncode == 2 and "no sign-in is configured" in demo.stderr
