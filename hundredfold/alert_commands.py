"""`hundredfold alerts ...`: list open alerts, acknowledge or snooze one."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any

from data import connect
from data.access import Refused
from data.alerts import acknowledge_alert, list_alerts, snooze_alert
from hundredfold.commands import command_help
from hundredfold.config import load_config, parse_duration
from hundredfold.id_arguments import alert_id_argument
from hundredfold.output import print_json
from hundredfold.pipeline import utc_now

REFUSED_EXIT = 3


def add_alert_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `alerts [--json] [--closed]`, `alerts ack ID --as NAME` and `alerts snooze`."""
    alerts = commands.add_parser("alerts", parents=[common], help=command_help("alerts"))
    alerts.add_argument("--json", action="store_true", help="one JSON line on stdout")
    alerts.add_argument("--closed", action="store_true", help="closed alerts (history) instead")
    alerts.set_defaults(handler=command_list)
    actions = alerts.add_subparsers(title="actions", metavar="ACTION", required=False)
    ack = actions.add_parser("ack", parents=[common], help="acknowledge an open alert")
    snooze = actions.add_parser("snooze", parents=[common], help="hide an alert for a while")
    for action in (ack, snooze):
        action.add_argument("alert", type=alert_id_argument, metavar="ID", help="the alert id")
        action.add_argument("--as", dest="actor", required=True, metavar="NAME", help="who")
    snooze.add_argument("--for", dest="duration", default="2h", help="how long (default 2h)")
    ack.set_defaults(handler=command_ack)
    snooze.set_defaults(handler=command_snooze)


def _json_ready(alert: dict[str, Any]) -> dict[str, Any]:
    """An alert as the JSON output shows it: id, kind, key, opened_at, explanation and state."""
    return {
        "id": alert["id"], "kind": alert["kind"], "key": alert["dedupe_key"],
        "severity": alert["severity"], "status": alert["status"], "title": alert["title"],
        "opened_at": alert["opened_at"], "closed_at": alert["closed_at"],
        "acknowledged_by": alert["acknowledged_by"], "explanation": alert["details"],
        "deliveries": alert["deliveries"],
    }  # fmt: skip


def command_list(args: argparse.Namespace) -> int:
    """Print open alerts, worst first (or the closed ones with --closed)."""
    config = load_config(args.config)
    engine = connect(config.database_url)
    rows = [_json_ready(row) for row in list_alerts(engine, utc_now(), closed=args.closed)]
    if args.json:
        print_json({"alerts": rows})
        return 0
    for row in rows:
        seen = f" (ack {row['acknowledged_by']})" if row["acknowledged_by"] else ""
        print(
            f"{row['id']:>5}  {row['severity']:<8} {row['kind']:<13} "
            f"{row['opened_at']:%Y-%m-%d %H:%M}  {row['title']}{seen}"
        )
        explanation = row["explanation"]
        if explanation.get("spiking_topics"):
            print(f"       topics: {', '.join(explanation['spiking_topics'])}")
        if explanation.get("terms"):
            print(f"       terms: {', '.join(term['term'] for term in explanation['terms'])}")
    print(f"{len(rows)} alert(s)", file=sys.stderr)
    return 0


def command_ack(args: argparse.Namespace) -> int:
    """Acknowledge one alert; a refusal exits 3 and says why."""
    config = load_config(args.config)
    engine = connect(config.database_url)
    try:
        changed = acknowledge_alert(engine, args.alert, config.actor(args.actor), utc_now())
    except Refused as refusal:
        print(f"hundredfold: refused: {refusal}", file=sys.stderr)
        return REFUSED_EXIT
    done = "acknowledged" if changed else "was already acknowledged"
    print(f"alert {args.alert}: {done} by {args.actor}")
    return 0


def command_snooze(args: argparse.Namespace) -> int:
    """Snooze one alert for a duration; a refusal exits 3 and says why."""
    config = load_config(args.config)
    engine = connect(config.database_url)
    try:
        seconds = parse_duration(args.duration)
    except ValueError as error:
        print(f"hundredfold: --for: {error}", file=sys.stderr)
        return 2
    now = utc_now()
    until = now + timedelta(seconds=seconds)
    try:
        snooze_alert(engine, args.alert, config.actor(args.actor), until, now)
    except Refused as refusal:
        print(f"hundredfold: refused: {refusal}", file=sys.stderr)
        return REFUSED_EXIT
    print(f"alert {args.alert}: snoozed by {args.actor} until {until:%Y-%m-%d %H:%M} UTC")
    return 0
