"""`hundredfold queue ...`: the reply queue from the command line, in the dashboard's order."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from sqlalchemy import Engine

from data import connect
from data.access import Refused
from data.case_bulk import apply_to_cases
from data.cases import (
    add_note,
    expire_holds,
    reopen_case,
    reply_case,
)
from data.queue import ACTIONABLE_STATUSES, SORTS, VIEWS, QueueFilter, ranked_cases
from data.replies import reply_post
from hundredfold.commands import command_help
from hundredfold.config import Config, load_config, parse_duration
from hundredfold.id_arguments import case_id_argument, count_argument
from hundredfold.output import print_json
from hundredfold.pipeline import utc_now
from hundredfold.reply_templates import TEMPLATES, draft
from hundredfold.replying import send_reply

REFUSED_EXIT = 3
ALL_STATUSES = ("new", "claimed", "snoozed", "replied", "resolved", "not_a_complaint")
TEXT_CHARS = 200
# action -> help; each takes one or more case ids and is applied case by case.
BULK_COMMANDS = {
    "claim": "take cases", "release": "give claimed cases back",
    "resolve": "close replied cases (backfill: also unanswered ones)",
    "not-a-complaint": "drop cases the model got wrong", "assign": "hand cases to someone",
    "snooze": "hide cases for a while",
}  # fmt: skip


def add_queue_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `queue list|send|reply|note|reopen` and the bulk transitions."""
    queue = commands.add_parser("queue", parents=[common], help=command_help("queue"))
    actions = queue.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="cases in the dashboard's order")
    listing.add_argument("--view", choices=list(VIEWS), default="next",
                         help="next (default: answerable, then overdue), answerable, overdue, "
                         "backfill or all")  # fmt: skip
    listing.add_argument(
        "--status",
        action="append",
        choices=ALL_STATUSES,
        help="only cases in this state (repeatable; default: new, claimed)",
    )
    listing.add_argument("--sort", choices=SORTS, default="priority", help="priority or due")
    listing.add_argument("--limit", type=count_argument, default=200, help="most cases listed")
    listing.add_argument("--search", default="", help="words in the post's text or author")
    listing.add_argument("--json", action="store_true", help="one JSON line on stdout")
    listing.set_defaults(handler=command_list)
    for name, help_text in BULK_COMMANDS.items():
        action = _case_action(actions, common, name, help_text, many=True)
        if name == "assign":
            action.add_argument("--to", required=True, metavar="NAME", help="who takes them")
        if name == "snooze":
            action.add_argument("--for", dest="snooze_for", default="4h", help="e.g. 4h, 1d")
        if name == "not-a-complaint":
            action.add_argument("--note", help="why")
        action.set_defaults(handler=command_bulk, action=name)
    send = _case_action(actions, common, "send", "reply through the post's channel")
    words = send.add_mutually_exclusive_group(required=True)
    words.add_argument("--text", help="the reply's text")
    words.add_argument("--template", choices=list(TEMPLATES), help="draft it from a template")
    send.set_defaults(handler=command_send)
    reply = _case_action(actions, common, "reply", "record a reply posted by hand")
    reply.add_argument("--url", required=True, help="URL of the public reply")
    reply.add_argument("--text", help="the reply's text")
    reply.set_defaults(handler=command_single, action="reply")
    note = _case_action(actions, common, "note", "add an internal note (never sent)")
    note.add_argument("--text", required=True, help="the note")
    note.set_defaults(handler=command_single, action="note")
    reopen = _case_action(actions, common, "reopen", "reopen a closed case (leads)")
    reopen.set_defaults(handler=command_single, action="reopen")


def _case_action(actions, common, name: str, help_text: str, many: bool = False):
    """A subcommand taking case id(s) and --as NAME."""
    action = actions.add_parser(name, parents=[common], help=help_text)
    action.add_argument("cases", type=case_id_argument, nargs="+" if many else 1, metavar="CASE",
                        help="case id" + ("s" if many else ""))  # fmt: skip
    action.add_argument("--as", dest="actor", required=True, metavar="NAME", help="who does it")
    return action


def _start(args: argparse.Namespace) -> tuple[Config, Engine]:
    """The config and an engine, with stale claims and ended snoozes returned to the pool."""
    config = load_config(args.config)
    engine = connect(config.database_url)
    expire_holds(engine, utc_now(), timedelta(seconds=config.claim_timeout_seconds))
    return config, engine


def command_list(args: argparse.Namespace) -> int:
    """Print the view's cases, first to answer first."""
    config, engine = _start(args)
    narrowed = QueueFilter(statuses=tuple(args.status or ACTIONABLE_STATUSES), view=args.view,
                           search=args.search, now=utc_now(),
                           stale_after_seconds=config.stale_after_seconds)  # fmt: skip
    frame = ranked_cases(engine, narrowed, config.sla(), args.sort, max(1, args.limit))
    rows = [_listed(row) for row in frame.head(max(1, args.limit)).itertuples()]
    if args.json:
        print_json({"view": args.view, "sort": args.sort, "cases": rows})
        return 0
    for row in rows:
        left = _time_left(row["time_left_s"])
        print(f"{row['id']:>6}  {row['priority']:5.2f}  {row['lane']:<10} {left:>10}  "
              f"{row['status']:<8} {row['assignee'] or '-':<10} {row['channel']:<7} "
              f"{','.join(row['topics']) or '-':<16} {row['text'][:60]}")  # fmt: skip
    print(f"{len(rows)} case(s)", file=sys.stderr)
    return 0


def _listed(row) -> dict:
    """One case as a script reads it."""
    text = " ".join(f"{row.title}\n{row.body}".split()) if row.title else " ".join(row.body.split())
    left = None if row.time_left_s != row.time_left_s else int(row.time_left_s)  # NaN: none
    return {
        "id": int(row.case_id), "status": row.status, "lane": row.lane,
        "priority": round(float(row.priority), 4), "negativity": round(float(row.negativity), 4),
        "reach": round(float(row.reach), 4), "urgency": round(float(row.urgency), 4),
        "backfill": row.lane == "backfill", "due_at": _iso(row.due_at), "time_left_s": left,
        "published_at": _iso(row.published_at), "channel": row.channel,
        "language": row.language, "topics": list(row.topics), "text": text[:TEXT_CHARS],
        "author": row.author, "url": row.url, "assignee": row.assignee, "post_id": int(row.post_id),
        "reply_url": row.reply_url,
    }  # fmt: skip


def _iso(moment) -> str | None:
    """An aware time as ISO 8601 UTC, or None."""
    return None if moment is None or moment != moment else moment.isoformat()


def _time_left(seconds: int | None) -> str:
    """'2h13m left', '5h overdue', or '-'."""
    if seconds is None:
        return "-"
    minutes = abs(seconds) // 60
    span = f"{minutes // 60}h{minutes % 60:02d}m" if minutes < 48 * 60 else f"{minutes // 1440}d"
    return span if seconds >= 0 else f"-{span}"


def command_bulk(args: argparse.Namespace) -> int:
    """Apply one transition to each case; refused ones are listed with why (exit 3)."""
    config, engine = _start(args)
    actor = config.actor(args.actor)
    try:
        snooze_for = timedelta(seconds=parse_duration(getattr(args, "snooze_for", "4h")))
    except ValueError as error:
        print(f"hundredfold: --for: {error}", file=sys.stderr)
        return 2
    outcome = apply_to_cases(engine, args.action.replace("-", "_"), args.cases, actor,
                             utc_now(), assignee=getattr(args, "to", "") or "",
                             snooze_for=snooze_for, note=getattr(args, "note", None))  # fmt: skip
    for case_id in outcome.done:
        print(f"case {case_id}: {args.action} done by {actor.name}")
    for reason in outcome.refused.values():
        print(f"hundredfold: refused: {reason}", file=sys.stderr)
    return REFUSED_EXIT if outcome.refused else 0


def command_send(args: argparse.Namespace) -> int:
    """Draft (or take) the reply text and send it through the post's channel."""
    config, engine = _start(args)
    actor = config.actor(args.actor)
    [case_id] = args.cases
    try:
        text = args.text
        if text is None:
            post = reply_post(engine, case_id)
            text = draft(args.template, post.language, post.author, config.brand_name,
                         config.signatures.get(actor.name, ""))  # fmt: skip
        outcome = send_reply(config, engine, case_id, actor, text, utc_now())
    except Refused as refusal:
        print(f"hundredfold: refused: {refusal}", file=sys.stderr)
        return REFUSED_EXIT
    again = " (it had been sent before; not sent again)" if outcome.already_sent else ""
    print(f"case {case_id}: reply sent by {actor.name}: {outcome.reply_url}{again}")
    return 0


def command_single(args: argparse.Namespace) -> int:
    """Record a reply, add a note or reopen one case; a refused one exits 3 and says why."""
    config, engine = _start(args)
    actor = config.actor(args.actor)
    [case_id] = args.cases
    now = utc_now()
    try:
        if args.action == "reply":
            result = reply_case(engine, case_id, actor, now, args.url, args.text, sla=config.sla())
        elif args.action == "note":
            add_note(engine, case_id, actor, args.text, now)
            result = [case_id]
        else:
            reopen_case(engine, case_id, actor, now)
            result = [case_id]
    except Refused as refusal:
        print(f"hundredfold: refused: {refusal}", file=sys.stderr)
        return REFUSED_EXIT
    covered = f" (and duplicates {result[1:]})" if len(result) > 1 else ""
    print(f"case {case_id}: {args.action} done by {actor.name}{covered}")
    return 0
