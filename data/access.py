"""Who may do what: the four roles, the actions each allows, and the check every write in
`data/` makes before it acts (refusals are recorded in the access log).

The role is always read from the user store at the moment of the action, never taken from
the caller: a page, a URL, an edited session or a replayed widget event cannot lend anyone a
role they lack, and a role changed or a user disabled takes effect on the next action. Before
the first user exists the store is empty and everything is allowed as it was before roles,
except what needs a lead, which the caller's stated role decides (the command line reads
`leads` from the config): a fresh install and the demo work without sign-in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Engine, func, select

from data.schema_users import access_log, users

# In order: each role may do everything the ones before it may.
ROLES = ("executive", "manager", "lead", "admin")
# action -> the least role allowed it.
NEEDS = {
    "read_overview": "executive",
    "read_queue": "manager",
    "work_cases": "manager",
    "read_alerts": "manager",
    "lead_cases": "lead",
    "act_on_alerts": "lead",
    "read_team": "lead",
    "read_sources": "lead",
    "manage_users": "admin",
    "forget": "admin",
}
# Each dashboard page and the action that opens it.
PAGE_ACTIONS = {
    "overview": "read_overview",
    "queue": "read_queue",
    "alerts": "read_alerts",
    "team": "read_team",
    "sources": "read_sources",
    "users": "manage_users",
}
FunctionT = TypeVar("FunctionT", bound=Callable[..., Any])


class Refused(Exception):
    """An action not allowed now; the message says why."""


class AccessRefused(Refused):
    """An action the actor's role does not allow (recorded in the access log)."""


@dataclass(frozen=True)
class Actor:
    """Who acts and in which role (before any user exists: the role the caller states)."""

    name: str
    role: str = "manager"

    @property
    def is_lead(self) -> bool:
        """Leads (and admins) may resolve and reopen any case and assign cases."""
        return allows(self.role, "lead_cases")


def allows(role: str, action: str) -> bool:
    """Whether `role` may do `action`."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(NEEDS[action])


def users_exist(connection: Connection | Engine) -> bool:
    """Whether the user store holds anyone (from then on, only its users may act)."""
    query = select(func.count()).select_from(select(users.c.id).limit(1).subquery())
    if isinstance(connection, Engine):
        with connection.connect() as open_connection:
            return bool(open_connection.execute(query).scalar_one())
    return bool(connection.execute(query).scalar_one())


def verified_actor(connection: Connection, actor: Actor) -> Actor | str:
    """The actor with their role from the store, or why they may not act at all."""
    row = connection.execute(
        select(users.c.name, users.c.role, users.c.active).where(users.c.name == actor.name)
    ).first()
    if row is None:
        return actor if not users_exist(connection) else f"{actor.name!r} is not a user"
    if not row.active:
        return f"{actor.name!r} is disabled"
    return Actor(row.name, row.role)


def unable_to_work(connection: Connection, name: str) -> str | None:
    """Why `name` cannot be handed a case (not an active user who may work cases), or None."""
    verified = verified_actor(connection, Actor(name))
    if isinstance(verified, str):
        return verified
    if not allows(verified.role, "work_cases"):
        return f"{name} is {_article(verified.role)} and cannot work cases"
    return None


def authorize(engine: Engine, actor: Actor, action: str, target: object = "") -> Actor:
    """The actor as the store knows them, when their role allows `action`; else the refusal is
    recorded and AccessRefused raised."""
    with engine.connect() as connection:
        verified = verified_actor(connection, actor)
    if isinstance(verified, str):
        refuse(engine, actor.name, action, target, verified)
    assert isinstance(verified, Actor)
    if verified is actor and action != "lead_cases":
        return actor  # no users yet: only a lead's powers are told apart
    if not allows(verified.role, action):
        needed = NEEDS[action]
        refuse(engine, actor.name, action, target,
               f"{actor.name} is {_article(verified.role)}; {action_words(action)} needs "
               f"{_article(needed)} or above")  # fmt: skip
    return verified


def refuse(engine: Engine, name: str, action: str, target: object, reason: str) -> None:
    """Record a refused action and raise AccessRefused with its reason."""
    record(engine, name, action, target, "refused", reason)
    raise AccessRefused(reason)


def record(
    engine: Engine, name: str, action: str, target: object, outcome: str, detail: str = ""
) -> None:
    """One access-log row, in its own transaction (it outlives a rolled-back action)."""
    with engine.begin() as connection:
        connection.execute(
            access_log.insert().values(
                at=datetime.now(UTC), actor=name[:200], action=action[:60],
                target=str(target)[:300], outcome=outcome, detail=detail or None,
            )
        )  # fmt: skip


def guarded(action: str) -> Callable[[FunctionT], FunctionT]:
    """For a write `f(engine, target_id, actor, ...)`: check the actor's role for `action`
    first and hand `f` the verified actor; a refusal `f` raises for want of a role (another's
    case, say) is recorded once its transaction has rolled back."""

    def wrap(function: FunctionT) -> FunctionT:
        @functools.wraps(function)
        def run(engine: Engine, target: Any, actor: Actor, *args: Any, **kwargs: Any) -> Any:
            what = f"{function.__name__.removesuffix('_case')} {target}"
            verified = authorize(engine, actor, action, what)
            try:
                return function(engine, target, verified, *args, **kwargs)
            except AccessRefused as refusal:
                record(engine, verified.name, action, what, "refused", str(refusal))
                raise

        return cast(FunctionT, run)

    return wrap


def _article(role: str) -> str:
    """'an executive', 'a manager'."""
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


def action_words(action: str) -> str:
    """'lead_cases' -> 'lead cases'."""
    return {
        "lead_cases": "reopening, assigning or closing others' cases",
        "act_on_alerts": "acknowledging or snoozing alerts",
        "work_cases": "working cases",
        "manage_users": "managing users",
    }.get(action, action.replace("_", " "))


def recent_refusals(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The latest refused actions, newest first: when, who, what, and why."""
    query = (
        select(
            access_log.c.at,
            access_log.c.actor,
            access_log.c.action,
            access_log.c.target,
            access_log.c.detail,
        )  # fmt: skip
        .where(access_log.c.outcome == "refused")
        .order_by(access_log.c.at.desc(), access_log.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
