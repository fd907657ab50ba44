"""The `hundredfold` command and its subcommands (init, demo, collect, stats, queue, ...).

Only the command being run is imported (each pulls in SQLAlchemy, pandas or the models):
`hundredfold --help` lists every command from the table below without importing any.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from hundredfold.commands import COMMANDS
from hundredfold.redaction import install_log_redaction, redact

log = logging.getLogger("hundredfold")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(_chosen(argv))
    args = parser.parse_args(argv)
    # Options shared by every command default here: set_defaults would reach into the
    # subcommands' copies of the same actions and overwrite a value given before the command.
    args.config = getattr(args, "config", None)
    args.verbose = getattr(args, "verbose", False)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    install_log_redaction()
    # Imported now that a command runs (it imports both anyway).
    from sqlalchemy.exc import SQLAlchemyError

    from hundredfold.config import ConfigError

    try:
        return int(args.handler(args) or 0)
    except ConfigError as error:
        print(redact(f"hundredfold: {error}"), file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        print(
            redact(f"hundredfold: database error: {type(error).__name__}: {error}"), file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`queue list | head`): stop quietly, and keep the interpreter's
        # own flush at exit from failing on the closed pipe too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _chosen(argv: list[str]) -> str | None:
    """The command named on the command line (the first word that is not an option's)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--config":
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: the `chosen` command registered in full, the others by their name
    and help only; global options go before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="config file (default: $HUNDREDFOLD_CONFIG, else ./hundredfold.toml)",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log progress details to stderr",
    )
    parser = argparse.ArgumentParser(
        prog="hundredfold",
        parents=[common],
        description="Hear what customers say about a brand in public; answer complaints fast.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    wanted = {COMMANDS[chosen][1]} if chosen in COMMANDS else set()
    registered: set[str] = set()
    for name, (help_text, where) in COMMANDS.items():
        if where in wanted:
            if where not in registered:
                module, function = where.split(":")
                register = getattr(importlib.import_module(f"hundredfold.{module}"), function)
                register(commands, common)
                registered.add(where)
        else:
            commands.add_parser(name, parents=[common], help=help_text)
    return parser
