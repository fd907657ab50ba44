"""`hundredfold users`: the dashboard's users and roles, managed by whoever runs the database.

Passwords come from a prompt (twice, not echoed) or, with `--password-stdin`, one line on
standard input; they never appear on the command line, in the output or in the log.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from data import connect
from data.access import ROLES
from data.users import UserRefused, add_user, list_users, set_active, set_password, set_role
from hundredfold.commands import command_help
from hundredfold.config import load_config
from hundredfold.output import print_json

REFUSED_EXIT = 2


def add_users_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `users add|list|set-role|passwd|disable|enable`."""
    users = commands.add_parser("users", parents=[common], help=command_help("users"))
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", parents=[common], help="add a user (sign-in starts)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--email", help="the identity provider's e-mail for this user")
    _password_source(add, "")
    add.add_argument("--no-password", action="store_true", help="provider sign-in only")
    add.set_defaults(handler=command_add)
    listed = actions.add_parser("list", parents=[common], help="every user and role")
    listed.add_argument("--json", action="store_true", help="one JSON line on stdout")
    listed.set_defaults(handler=command_list)
    role = actions.add_parser("set-role", parents=[common], help="give a user another role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=command_set_role)
    passwd = actions.add_parser("passwd", parents=[common], help="set a user's password")
    passwd.add_argument("name")
    _password_source(passwd, "(their open sessions end)")
    passwd.set_defaults(handler=command_passwd)
    for name, active in (("disable", False), ("enable", True)):
        change = actions.add_parser(name, parents=[common], help=f"{name} a user")
        change.add_argument("name")
        change.set_defaults(handler=command_set_active, active=active)


def _password_source(parser: argparse.ArgumentParser, note: str) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help=f"read the password as one line on stdin {note}")  # fmt: skip


def _read_password(args: argparse.Namespace) -> str:
    """The new password: one stdin line, or typed twice at a prompt."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserRefused("no terminal to ask for a password on: pass --password-stdin")
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise UserRefused("the two passwords differ")
    return first


def _engine(args: argparse.Namespace):
    return connect(load_config(args.config).database_url)


def _run(change, done: str) -> int:
    """Apply one change; a refusal is one line on stderr."""
    try:
        change()
    except UserRefused as refusal:
        print(f"hundredfold: users: {refusal}", file=sys.stderr)
        return REFUSED_EXIT
    print(done)
    return 0


def command_add(args: argparse.Namespace) -> int:
    """Add an active user; from the first user on, the dashboard asks everyone to sign in."""
    engine = _engine(args)

    def add() -> None:
        password = None if args.no_password else _read_password(args)
        add_user(engine, None, args.name, args.role, password, args.email)

    return _run(add, f"added {args.name.strip()} ({args.role})")


def command_list(args: argparse.Namespace) -> int:
    """Every user: name, role, e-mail, active, last sign-in (never a password hash)."""
    people = list_users(_engine(args))
    if args.json:
        print_json({"users": [_listed(person) for person in people]})
        return 0
    for person in people:
        seen = person["last_sign_in_at"]
        state = "active" if person["active"] else "disabled"
        print(
            f"{person['name']:<20} {person['role']:<10} {state:<9} {person['email'] or '-':<30}"
            f" last sign-in {f'{seen:%Y-%m-%d %H:%M} UTC' if seen else 'never'}"
        )
    print(f"{len(people)} user(s)", file=sys.stderr)
    return 0


def _listed(person: dict) -> dict:
    """A user as a script reads it (times in ISO 8601 UTC)."""
    seen = person["last_sign_in_at"]
    return {**person, "created_at": person["created_at"].isoformat(),
            "last_sign_in_at": seen.isoformat() if seen else None}  # fmt: skip


def command_set_role(args: argparse.Namespace) -> int:
    """Give a user another role."""
    engine = _engine(args)
    return _run(lambda: set_role(engine, None, args.name, args.role), f"{args.name}: {args.role}")


def command_passwd(args: argparse.Namespace) -> int:
    """Set a user's password; their sessions end."""
    engine = _engine(args)
    return _run(lambda: set_password(engine, None, args.name, _read_password(args)),
                f"{args.name}: password changed")  # fmt: skip


def command_set_active(args: argparse.Namespace) -> int:
    """Disable (sessions end) or enable a user."""
    engine = _engine(args)
    state = "enabled" if args.active else "disabled"
    return _run(lambda: set_active(engine, None, args.name, args.active), f"{args.name}: {state}")
