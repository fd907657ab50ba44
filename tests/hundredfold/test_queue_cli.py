"""`hundredfold queue ...` as a script would use it: JSON out, exit 3 on a refused transition."""

from __future__ import annotations

import json

import pytest

from hundredfold.cli import main


@pytest.fixture
def demo_queue(capsys):
    """A small demo load in the working directory's default database."""
    assert main(["demo", "--no-serve", "--limit", "60"]) == 0
    capsys.readouterr()


def queue_json(capsys, *args: str) -> list[dict]:
    """The cases `queue list --json` prints (one line)."""
    assert main(["queue", "list", "--json", *args]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    return json.loads(out)["cases"]


def test_list_shows_open_cases_with_their_due_time(demo_queue, capsys):
    rows = queue_json(capsys)
    assert rows and {"id", "status", "assignee", "post_id", "due_at"} <= set(rows[0])
    assert {row["status"] for row in rows} == {"new"}
    assert [row["due_at"] for row in rows] == sorted(row["due_at"] for row in rows)


def test_a_case_is_claimed_replied_and_resolved_from_the_command_line(demo_queue, capsys):
    case_id = str(queue_json(capsys)[0]["id"])
    assert main(["queue", "claim", case_id, "--as", "ana"]) == 0
    assert main(["queue", "claim", case_id, "--as", "bo"]) == 3
    assert "already claimed by ana" in capsys.readouterr().err
    url = "https://forum.example/t/9#reply"
    assert main(["queue", "reply", case_id, "--as", "ana", "--url", url, "--text", "Sorry"]) == 0
    assert main(["queue", "resolve", case_id, "--as", "ana"]) == 0
    capsys.readouterr()
    [resolved] = [row for row in queue_json(capsys, "--status", "resolved")]
    assert (str(resolved["id"]), resolved["reply_url"]) == (case_id, url)


def test_wrong_state_is_refused_with_exit_3(demo_queue, capsys):
    case_id = str(queue_json(capsys)[0]["id"])
    assert main(["queue", "resolve", case_id, "--as", "ana"]) == 3
    assert "cannot resolve" in capsys.readouterr().err
