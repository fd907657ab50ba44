"""`hundredfold alerts ...` as a script uses it: one JSON line, exit 3 when an ack is refused."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta

import pytest

from data import connect
from hundredfold.alert_commands import add_alert_commands
from hundredfold.alerting import evaluate_alerts
from hundredfold.config import load_config
from tests.data.alert_history import NOW, burst_posts, everyday_posts, store


def alerts_command(*argv: str) -> int:
    """Run `hundredfold alerts ARGV` through the command group as cli.py registers it."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="hundredfold", parents=[common])
    add_alert_commands(parser.add_subparsers(required=True), common)
    args = parser.parse_args(["alerts", *argv])
    args.config = getattr(args, "config", None)
    return args.handler(args)


@pytest.fixture
def open_spike(capsys):
    """The working directory's default database holding one open spike alert."""
    config = load_config()
    engine = connect(config.database_url)
    later = NOW + timedelta(days=2)
    store(engine, everyday_posts(NOW - timedelta(days=9), NOW), later)
    store(engine, burst_posts(NOW - timedelta(minutes=50)), later)
    [alert_id] = evaluate_alerts(config, engine, NOW)["opened"]
    engine.dispose()
    return alert_id


def test_json_lists_open_alerts_with_their_explanation(open_spike, capsys):
    assert alerts_command("--json") == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    [alert] = json.loads(out)["alerts"]
    assert (alert["id"], alert["kind"], alert["key"]) == (open_spike, "spike", "spike:brand")
    assert alert["opened_at"].startswith("2026-11-20")
    assert alert["explanation"]["spiking_topics"] == ["delivery"]


def test_ack_by_name_then_refused_for_someone_else(open_spike, capsys):
    assert alerts_command("ack", str(open_spike), "--as", "lin") == 0
    assert "acknowledged by lin" in capsys.readouterr().out
    assert alerts_command("ack", str(open_spike), "--as", "bo") == 3
    assert "refused: alert" in capsys.readouterr().err
    assert alerts_command("ack", "999", "--as", "bo") == 3
    assert alerts_command("--json") == 0
    [alert] = json.loads(capsys.readouterr().out)["alerts"]
    assert alert["acknowledged_by"] == "lin"


def test_snoozed_alert_leaves_the_open_list(open_spike, capsys):
    assert alerts_command("snooze", str(open_spike), "--as", "lin", "--for", "3h") == 0
    capsys.readouterr()
    assert alerts_command("--json") == 0
    assert json.loads(capsys.readouterr().out)["alerts"] == []
