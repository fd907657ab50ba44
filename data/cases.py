"""The case life cycle: claim, release, reply, resolve, snooze, not a complaint, reopen.

Every transition first checks the actor's role in the user store (`data.access`), then reads
the case under a row lock (PostgreSQL `FOR UPDATE`; SQLite's write transactions are `BEGIN
IMMEDIATE`), checks who may do what, updates it and writes an event row in the same
transaction: of two concurrent claims exactly one wins, and the other is told who has the case.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, select, update

from data.access import AccessRefused, Actor, Refused, guarded, unable_to_work
from data.engine import locked_row
from data.schema import case_events, cases, corrections, posts
from data.sla import DEFAULT_SLA, SlaPolicy

SYSTEM = "system"
# A public reply's address; `mid:` (RFC 2392) names a reply sent by mail by its Message-ID.
REPLY_URL_SCHEMES = ("http://", "https://", "mid:")


class TransitionRefused(Refused):
    """A transition that is not allowed in the case's state; the message says why."""


def locked_case(connection: Connection, case_id: int) -> Any:
    """The case row, locked until the transaction ends; refused when there is no such case."""
    row = locked_row(connection, cases, case_id)
    if row is None:
        raise TransitionRefused(f"case {case_id} does not exist")
    return row


def _move(
    connection: Connection,
    row: Any,
    to_status: str,
    actor: str,
    now: datetime,
    note: str | None = None,
    **values: Any,
) -> None:
    """Update the case and record the event (who, when, from, to, note)."""
    connection.execute(
        update(cases)
        .where(cases.c.id == row.id, cases.c.status == row.status)
        .values(status=to_status, updated_at=now, **values)
    )
    connection.execute(
        case_events.insert().values(
            case_id=row.id, actor=actor, at=now, from_status=row.status, to_status=to_status,
            note=note,
        )
    )  # fmt: skip


def _require(row: Any, allowed: Collection[str], action: str) -> None:
    """Refuse unless the case is in one of the `allowed` states."""
    if row.status not in allowed:
        holder = f" by {row.assignee}" if row.status == "claimed" and row.assignee else ""
        raise TransitionRefused(
            f"case {row.id} is {row.status.replace('_', ' ')}{holder}: cannot {action}"
        )


@guarded("work_cases")
def claim_case(engine: Engine, case_id: int, actor: Actor, now: datetime) -> bool:
    """new -> claimed by `actor`; True when claimed now, False when it was theirs already."""
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        if row.status == "claimed" and row.assignee == actor.name:
            return False
        if row.status == "claimed":
            raise TransitionRefused(f"case {case_id} is already claimed by {row.assignee}")
        _require(row, ("new",), "claim it")
        _move(connection, row, "claimed", actor.name, now, assignee=actor.name, claimed_at=now)
        return True


@guarded("work_cases")
def release_case(engine: Engine, case_id: int, actor: Actor, now: datetime) -> None:
    """claimed -> new, by the claimer (or a lead)."""
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        _require(row, ("claimed",), "release it")
        require_holder(row, actor, "release it")
        _move(connection, row, "new", actor.name, now, assignee=None, claimed_at=None)


@guarded("work_cases")
def assign_case(engine: Engine, case_id: int, actor: Actor, assignee: str, now: datetime) -> None:
    """new or claimed -> claimed by `assignee`: a lead hands out any case, a holder theirs."""
    assignee = assignee.strip()
    if not assignee:
        raise TransitionRefused("name the person the case is assigned to")
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        _require(row, ("new", "claimed"), "assign it")
        if (unable := unable_to_work(connection, assignee)) is not None:
            raise TransitionRefused(f"cannot assign case {case_id}: {unable}")
        if row.status == "claimed":
            require_holder(row, actor, "assign it")
        elif not actor.is_lead and assignee != actor.name:
            raise AccessRefused(f"only a support lead can assign a new case to {assignee}")
        if row.assignee == assignee:
            return
        _move(connection, row, "claimed", actor.name, now, note=f"assigned to {assignee}",
              assignee=assignee, claimed_at=now)  # fmt: skip


@guarded("work_cases")
def add_note(engine: Engine, case_id: int, actor: Actor, note: str, now: datetime) -> None:
    """An internal note on the case: kept in its history, never sent to the customer."""
    if not note.strip():
        raise TransitionRefused("a note needs some text")
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        connection.execute(
            case_events.insert().values(
                case_id=row.id, actor=actor.name, at=now, from_status=row.status,
                to_status=row.status, note=note.strip(), kind="note",
            )
        )  # fmt: skip


def require_holder(row: Any, actor: Actor, action: str) -> None:
    """Refuse unless `actor` holds the case (leads may act on any case)."""
    if row.assignee != actor.name and not actor.is_lead:
        state = row.status.replace("_", " ")
        holder = f"by {row.assignee}" if row.status == "claimed" else f", handled by {row.assignee}"
        raise AccessRefused(
            f"case {row.id} is {state}{(' ' + holder).replace(' ,', ',') if row.assignee else ''}: "
            f"only they or a lead can {action}"
        )


@guarded("work_cases")
def reply_case(
    engine: Engine,
    case_id: int,
    actor: Actor,
    now: datetime,
    url: str,
    text: str | None = None,
    include_duplicates: bool = True,
    sla: SlaPolicy = DEFAULT_SLA,
) -> list[int]:
    """claimed -> replied, with the public reply's URL; the same reply covers open duplicates.

    Duplicates are the open cases whose post has the same content hash (one complaint posted
    twice, or many customers reporting one outage) and that nobody else holds. Returns the
    ids of every case the reply was recorded on.
    """
    if not url.startswith(REPLY_URL_SCHEMES):
        raise TransitionRefused(f"the reply's URL must start with http:// or https://, got {url!r}")
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        _require(row, ("claimed",), "record a reply (claim it first)")
        require_holder(row, actor, "reply")
        reply: dict[str, Any] = {"reply_url": url, "reply_text": text}
        first = _first_reply(connection, row, now, sla)
        _move(connection, row, "replied", actor.name, now, **reply, **first)
        replied = [case_id]
        if include_duplicates:
            for twin in _open_duplicates(connection, row, actor):
                twin_reply = reply | _first_reply(connection, twin, now, sla)
                _move(
                    connection,
                    twin,
                    "replied",
                    actor.name,
                    now,
                    note=f"same complaint as case {case_id}",
                    assignee=actor.name,
                    **twin_reply,
                )
                replied.append(twin.id)
    return replied


def _first_reply(connection: Connection, row: Any, now: datetime, sla: SlaPolicy) -> dict:
    """The first reply's time and its hours on the SLA clock; a later reply changes neither."""
    if row.first_reply_at is not None:
        return {}
    published = select(posts.c.published_at).where(posts.c.id == row.post_id)
    hours = sla.elapsed(connection.execute(published).scalar_one(), now)
    return {"first_reply_at": now, "reply_hours": hours}


def _open_duplicates(connection: Connection, row: Any, actor: Actor) -> list[Any]:
    """Other new or own-claimed cases whose post has the same content hash as `row`'s."""
    content_hash = select(posts.c.content_hash).where(posts.c.id == row.post_id).scalar_subquery()
    query = (
        select(cases)
        .join(posts, posts.c.id == cases.c.post_id)
        .where(posts.c.content_hash == content_hash, cases.c.id != row.id)
        .where(
            (cases.c.status == "new")
            | and_(cases.c.status == "claimed", cases.c.assignee == actor.name)
        )
    )
    if connection.dialect.name == "postgresql":
        query = query.with_for_update(of=cases)
    return list(connection.execute(query))


@guarded("work_cases")
def resolve_case(engine: Engine, case_id: int, actor: Actor, now: datetime) -> None:
    """replied -> resolved, by the claimer or a lead; an unanswered backfill case (late before
    anyone saw it) may be closed without a reply, and a lead may close any unanswered case."""
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        if row.status in ("new", "claimed") and (row.backfill or actor.is_lead):
            if row.status == "claimed":
                require_holder(row, actor, "resolve it")
            _move(connection, row, "resolved", actor.name, now, note="closed without a reply",
                  resolved_at=now)  # fmt: skip
            return
        _require(row, ("replied",), "resolve it (record the reply first)")
        require_holder(row, actor, "resolve it")
        _move(connection, row, "resolved", actor.name, now, resolved_at=now)


@guarded("work_cases")
def mark_not_a_complaint(
    engine: Engine, case_id: int, actor: Actor, now: datetime, note: str | None = None
) -> None:
    """new or claimed -> not_a_complaint, by anyone; kept as a sentiment correction too."""
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        _require(row, ("new", "claimed"), "mark it not a complaint")
        _move(connection, row, "not_a_complaint", actor.name, now, note=note)
        connection.execute(
            corrections.insert().values(
                post_id=row.post_id, actor=actor.name, at=now, label="neutral",
                reason=note or "not a complaint",
            )
        )  # fmt: skip


@guarded("work_cases")
def snooze_case(engine: Engine, case_id: int, actor: Actor, now: datetime, until: datetime) -> None:
    """new or claimed -> snoozed until a time, by anyone; it wakes as new."""
    if until <= now:
        raise TransitionRefused("a snooze must end in the future")
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        _require(row, ("new", "claimed"), "snooze it")
        _move(connection, row, "snoozed", actor.name, now, note=f"until {until.isoformat()}",
              snoozed_until=until, assignee=None)  # fmt: skip


@guarded("lead_cases")
def reopen_case(engine: Engine, case_id: int, actor: Actor, now: datetime) -> None:
    """resolved or not_a_complaint -> new, by a lead."""
    with engine.begin() as connection:
        row = locked_case(connection, case_id)
        _require(row, ("resolved", "not_a_complaint"), "reopen it")
        _move(connection, row, "new", actor.name, now, assignee=None, resolved_at=None)


def expire_holds(engine: Engine, now: datetime, claim_timeout: timedelta) -> int:
    """Return untouched claims and ended snoozes to the pool; returns how many moved."""
    moved = 0
    with engine.begin() as connection:
        stale = connection.execute(
            select(cases).where(
                (and_(cases.c.status == "claimed", cases.c.updated_at < now - claim_timeout))
                | and_(cases.c.status == "snoozed", cases.c.snoozed_until <= now)
            )
        ).all()
        for row in stale:
            note = "claim timed out" if row.status == "claimed" else "snooze ended"
            _move(connection, row, "new", SYSTEM, now, note=note, assignee=None, claimed_at=None,
                  snoozed_until=None)  # fmt: skip
            moved += 1
    return moved
