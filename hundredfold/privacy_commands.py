"""`hundredfold forget`: erase one person's posts in one source, on their request."""

from __future__ import annotations

import argparse
import logging
import sys

from data import connect
from data.access import AccessRefused, authorize
from data.retention import UnknownSource, count_author_posts, erase_author
from hundredfold.commands import command_help
from hundredfold.config import load_config
from hundredfold.output import print_json

log = logging.getLogger("hundredfold.privacy")
USAGE_EXIT = 2
DECLINED_EXIT = 1
REFUSED_EXIT = 3


def add_privacy_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `forget --author NAME --source S --as NAME [--yes] [--json]`."""
    forget = commands.add_parser("forget", parents=[common], help=command_help("forget"))
    forget.add_argument("--author", required=True, metavar="NAME", help="exactly as stored")
    forget.add_argument("--source", required=True, metavar="S", help="the source's name")
    forget.add_argument(
        "--as", dest="actor", required=True, metavar="NAME", help="who asks for the erasure"
    )
    forget.add_argument("--yes", action="store_true", help="erase without asking first")
    forget.add_argument("--json", action="store_true", help="one JSON line on stdout")
    forget.set_defaults(handler=command_forget)


def command_forget(args: argparse.Namespace) -> int:
    """Erase the author's posts with their cases, events and counts; print how many went."""
    if not args.actor.strip():
        return _refuse("--as: say who asks for the erasure (a name)")
    config = load_config(args.config)
    engine = connect(config.database_url)
    try:
        # Once users exist only an admin may erase; before, the operator is trusted as today.
        authorize(engine, config.actor(args.actor), "forget", f"{args.source}")
    except AccessRefused as refusal:
        print(f"hundredfold: forget refused: {refusal}", file=sys.stderr)
        return REFUSED_EXIT
    try:
        waiting = count_author_posts(engine, args.source, args.author)
    except UnknownSource as error:
        return _refuse(f"--source: {error.args[0]}")
    if waiting and not args.yes:
        if not sys.stdin.isatty():
            return _refuse("forget: not a terminal to confirm on; pass --yes to erase")
        print(
            f"erase {waiting} post(s) by {args.author!r} in {args.source!r}, with their cases "
            "and history? [y/N] ",
            end="", file=sys.stderr, flush=True,
        )  # fmt: skip
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            print("nothing erased", file=sys.stderr)
            return DECLINED_EXIT
    erased = erase_author(engine, args.source, args.author)
    # The author is left out: the log should not keep the name the erasure was asked to forget.
    log.warning("forget: erased %s in source %r, asked by %s", erased.summary(), args.source,
                args.actor)  # fmt: skip
    if args.json:
        print_json({"source": args.source, "author": args.author, **erased.as_dict()})
    else:
        print(f"erased from {args.source}: {erased.summary()}")
    return 0


def _refuse(message: str) -> int:
    """Say why in one line on stderr; the exit status of a bad argument."""
    print(f"hundredfold: {message}", file=sys.stderr)
    return USAGE_EXIT
