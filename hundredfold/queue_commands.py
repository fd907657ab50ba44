"""`hundredfold queue ...`: the reply queue's transitions from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta

from data import connect
from data.cases import (
    Actor,
    TransitionRefused,
    claim_case,
    expire_holds,
    mark_not_a_complaint,
    release_case,
    reopen_case,
    reply_case,
    resolve_case,
)
from data.queue import list_cases
from data.reports import OPEN_CASE_STATUSES
from hundredfold.config import load_config
from hundredfold.output import print_json
from hundredfold.pipeline import utc_now

REFUSED_EXIT = 3
ALL_STATUSES = ("new", "claimed", "snoozed", "replied", "resolved", "not_a_complaint")


def add_queue_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `queue list|claim|release|reply|resolve|not-a-complaint|reopen`."""
    queue = commands.add_parser("queue", parents=[common], help="work the reply queue")
    actions = queue.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="list cases, soonest due first")
    listing.add_argument(
        "--status",
        action="append",
        choices=ALL_STATUSES,
        help="only cases in this state (repeatable; default: open ones)",
    )
    listing.add_argument("--json", action="store_true", help="one JSON line on stdout")
    listing.set_defaults(handler=command_list)
    for name, help_text in (
        ("claim", "take a case"), ("release", "give a claimed case back"),
        ("reply", "record the public reply"), ("resolve", "close a replied case"),
        ("not-a-complaint", "drop a case the model got wrong"), ("reopen", "reopen (leads)"),
    ):  # fmt: skip
        action = actions.add_parser(name, parents=[common], help=help_text)
        action.add_argument("case", type=int, metavar="CASE", help="the case id")
        action.add_argument("--as", dest="actor", required=True, metavar="NAME", help="who does it")
        if name == "reply":
            action.add_argument("--url", required=True, help="URL of the public reply")
            action.add_argument("--text", help="the reply's text")
        if name == "not-a-complaint":
            action.add_argument("--note", help="why")
        action.set_defaults(handler=command_transition, action=name)


def command_list(args: argparse.Namespace) -> int:
    """Print cases (claims gone stale and ended snoozes are returned to the pool first)."""
    config = load_config(args.config)
    engine = connect(config.database_url)
    expire_holds(engine, utc_now(), timedelta(seconds=config.claim_timeout_seconds))
    rows = list_cases(engine, args.status or OPEN_CASE_STATUSES)
    if args.json:
        print_json({"cases": rows})
        return 0
    for row in rows:
        due = row["due_at"].isoformat(timespec="minutes") if row["due_at"] else "-"
        print(
            f"{row['id']:>6}  {row['status']:<15} {row['assignee'] or '-':<12} due {due}  "
            f"{row['channel']:<7} {row['url'] or ''}"
        )
    print(f"{len(rows)} case(s)", file=sys.stderr)
    return 0


def command_transition(args: argparse.Namespace) -> int:
    """Apply one transition; a refused one exits 3 and says why."""
    config = load_config(args.config)
    engine = connect(config.database_url)
    actor = Actor(args.actor, is_lead=args.actor in config.leads)
    now = utc_now()
    transitions: dict[str, Callable[[], object]] = {
        "claim": lambda: claim_case(engine, args.case, actor, now),
        "release": lambda: release_case(engine, args.case, actor, now),
        "reply": lambda: reply_case(
            engine, args.case, actor, now, args.url, args.text, sla=config.sla()
        ),
        "resolve": lambda: resolve_case(engine, args.case, actor, now),
        "not-a-complaint": lambda: mark_not_a_complaint(engine, args.case, actor, now, args.note),
        "reopen": lambda: reopen_case(engine, args.case, actor, now),
    }
    try:
        result = transitions[args.action]()
    except TransitionRefused as refusal:
        print(f"hundredfold: refused: {refusal}", file=sys.stderr)
        return REFUSED_EXIT
    covered = (
        f" (and duplicates {result[1:]})" if isinstance(result, list) and len(result) > 1 else ""
    )
    print(f"case {args.case}: {args.action} done by {actor.name}{covered}")
    return 0
