"""`hundredfold queue ...` as a script would use it: the dashboard's order as JSON, sends,
notes and bulk transitions, exit 3 on a refusal, and a quiet end on a closed pipe."""

from __future__ import annotations

import json
import subprocess

import pytest

from hundredfold.cli import main

FIELDS = {"id", "status", "priority", "backfill", "due_at", "time_left_s", "channel", "topics",
          "text", "assignee", "lane"}  # fmt: skip


@pytest.fixture
def demo_queue(capsys):
    """A small demo load in the working directory's default database."""
    assert main(["demo", "--no-serve", "--limit", "200"]) == 0  # open cases left by the team
    capsys.readouterr()


def queue_json(capsys, *args: str) -> list[dict]:
    """The cases `queue list --json` prints (one line)."""
    assert main(["queue", "list", "--json", *args]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    return json.loads(out)["cases"]


def test_list_gives_each_case_its_lane_priority_countdown_topics_and_text(demo_queue, capsys):
    rows = queue_json(capsys, "--view", "all")
    assert rows and FIELDS <= set(rows[0])
    assert all(len(row["text"]) <= 200 and isinstance(row["topics"], list) for row in rows)
    order = ["answerable", "overdue", "backfill", "answered"]
    assert [row["lane"] for row in rows] == sorted((row["lane"] for row in rows), key=order.index)
    for lane in order:
        ranks = [row["priority"] for row in rows if row["lane"] == lane]
        assert ranks == sorted(ranks, reverse=True)
    assert all(row["backfill"] == (row["lane"] == "backfill") for row in rows)
    assert {row["lane"] for row in queue_json(capsys)} <= {"answerable", "overdue"}


def test_due_soonest_orders_each_lane_by_the_time_to_its_deadline(demo_queue, capsys):
    rows = queue_json(capsys, "--view", "backfill", "--sort", "due")
    gaps = [abs(row["time_left_s"]) for row in rows]
    assert gaps and gaps == sorted(gaps)


def test_a_closed_pipe_ends_quietly(demo_queue):
    result = subprocess.run("hundredfold queue list --view all | head -n 1", shell=True,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert len(result.stdout.splitlines()) == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_a_case_is_claimed_replied_and_resolved_from_the_command_line(demo_queue, capsys):
    case_id = str(queue_json(capsys, "--view", "all")[0]["id"])
    assert main(["queue", "claim", case_id, "--as", "ana"]) == 0
    assert main(["queue", "claim", case_id, "--as", "bo"]) == 3
    assert "already claimed by ana" in capsys.readouterr().err
    url = "https://forum.example/t/9#reply"
    assert main(["queue", "reply", case_id, "--as", "ana", "--url", url, "--text", "Sorry"]) == 0
    assert main(["queue", "resolve", case_id, "--as", "bo"]) == 3
    assert "handled by ana" in capsys.readouterr().err
    assert main(["queue", "resolve", case_id, "--as", "ana"]) == 0
    capsys.readouterr()
    # The demo's team resolved cases of its own: this one is among them, with its reply.
    resolved = {str(row["id"]): row for row in queue_json(capsys, "--status", "resolved",
                                                           "--view", "all")}  # fmt: skip
    assert resolved[case_id]["reply_url"] == url


def test_bulk_forms_act_per_case_and_report_each_refusal(demo_queue, capsys):
    first, second, third = (str(row["id"]) for row in queue_json(capsys, "--view", "all")[:3])
    assert main(["queue", "claim", third, "--as", "bo"]) == 0
    code = main(["queue", "assign", first, second, third, "--as", "ana", "--to", "ana"])
    captured = capsys.readouterr()
    assert code == 3
    assert captured.out.count("assign done by ana") == 2
    assert f"case {third} is claimed by bo" in captured.err
    assert main(["queue", "snooze", first, "--as", "ana", "--for", "2h"]) == 0
    assert main(["queue", "note", second, "--as", "ana", "--text", "called back"]) == 0


def test_a_channel_without_a_sender_refuses_to_send_and_says_what_to_do(demo_queue, capsys):
    case_id = str(queue_json(capsys, "--view", "all")[0]["id"])
    assert main(["queue", "claim", case_id, "--as", "ana"]) == 0
    assert main(["queue", "send", case_id, "--as", "ana", "--template", "apology"]) == 3
    assert "record its URL" in capsys.readouterr().err
