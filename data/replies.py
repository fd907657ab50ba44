"""The ledger of replies sent from the queue: begun, sent or failed, once per case and draft.

A send is recorded in three steps so a reply is never posted twice: `begin_send` claims the
draft's key under the case's row lock (a second click finds the row and posts nothing),
the channel is called outside any transaction, and `finish_send` records the reply on the
case (the same transition as a reply recorded by hand) or `fail_send` records why it failed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update

from data.access import guarded
from data.cases import Actor, TransitionRefused, locked_case, reply_case, require_holder
from data.engine import READ_ONLY
from data.schema import case_events, cases, posts, sources
from data.schema_replies import reply_sends
from data.sla import DEFAULT_SLA, SlaPolicy

# A send still marked in flight after this long was interrupted (the process died mid-call):
# it may be tried again.
SEND_STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class ReplyPost:
    """The post a case answers, and the source it came from (whose channel sends the reply)."""

    case_id: int
    source: str
    kind: str
    external_id: str
    url: str
    author: str
    title: str
    parent_external_id: str | None
    language: str


@dataclass(frozen=True)
class SendRecord:
    """One row of the ledger."""

    key: str
    status: str
    reply_url: str | None
    reference: str | None
    error: str | None
    attempts: int


def draft_key(case_id: int, text: str) -> str:
    """The idempotency key of a case's draft: the same text on the same case is one reply."""
    normalised = " ".join(text.split())
    return hashlib.sha256(f"{case_id}\n{normalised}".encode()).hexdigest()[:40]


def reply_post(engine: Engine, case_id: int) -> ReplyPost:
    """The case's post and source; refused when there is no such case."""
    query = (
        select(cases.c.id, sources.c.name, sources.c.kind, posts.c.external_id, posts.c.url,
               posts.c.author, posts.c.title, posts.c.parent_external_id, posts.c.language)
        .join(posts, posts.c.id == cases.c.post_id)
        .join(sources, sources.c.id == posts.c.source_id)
        .where(cases.c.id == case_id)
    )  # fmt: skip
    with engine.connect().execution_options(**READ_ONLY) as connection:
        row = connection.execute(query).first()
    if row is None:
        raise TransitionRefused(f"case {case_id} does not exist")
    return ReplyPost(*row)


def _record(row: Any) -> SendRecord:
    """A ledger row as a SendRecord."""
    return SendRecord(row.key, row.status, row.reply_url, row.reference, row.error, row.attempts)


@guarded("work_cases")
def begin_send(
    engine: Engine, case_id: int, actor: Actor, key: str, channel: str, text: str, now: datetime
) -> SendRecord:
    """Claim the draft's key for sending; a draft already sent comes back with status "sent".

    Refused unless the actor holds the claimed case, or while the same draft is in flight.
    """
    with engine.begin() as connection:
        case = locked_case(connection, case_id)
        found = connection.execute(select(reply_sends).where(reply_sends.c.key == key)).first()
        if found is not None and found.status == "sent":
            return _record(found)
        if case.status != "claimed":
            state = case.status.replace("_", " ")
            raise TransitionRefused(f"case {case_id} is {state}: claim it before sending a reply")
        require_holder(case, actor, "send a reply")
        if found is None:
            connection.execute(
                reply_sends.insert().values(
                    case_id=case_id, key=key, channel=channel, status="sending", actor=actor.name,
                    text=text, attempts=1, started_at=now,
                )
            )  # fmt: skip
        elif found.status == "sending" and now - found.started_at < SEND_STALE_AFTER:
            raise TransitionRefused(f"this reply to case {case_id} is being sent already")
        else:
            connection.execute(
                update(reply_sends)
                .where(reply_sends.c.key == key)
                .values(status="sending", actor=actor.name, attempts=found.attempts + 1,
                        started_at=now, error=None)
            )  # fmt: skip
        found = connection.execute(select(reply_sends).where(reply_sends.c.key == key)).one()
        return _record(found)


def finish_send(
    engine: Engine,
    case_id: int,
    key: str,
    actor: Actor,
    now: datetime,
    reply_url: str,
    reference: str,
    text: str,
    sla: SlaPolicy = DEFAULT_SLA,
) -> list[int]:
    """Mark the send done and record the reply on the case (and its open duplicates)."""
    with engine.begin() as connection:
        connection.execute(
            update(reply_sends)
            .where(reply_sends.c.key == key)
            .values(status="sent", finished_at=now, reply_url=reply_url, reference=reference)
        )
    return reply_case(engine, case_id, actor, now, reply_url, text, sla=sla)


def fail_send(engine: Engine, case_id: int, key: str, actor: Actor, error: str, now: datetime):
    """Mark the send failed and note why in the case's history; the case stays unreplied."""
    with engine.begin() as connection:
        connection.execute(
            update(reply_sends)
            .where(reply_sends.c.key == key)
            .values(status="failed", finished_at=now, error=error)
        )
        status = connection.execute(select(cases.c.status).where(cases.c.id == case_id)).scalar()
        connection.execute(
            case_events.insert().values(
                case_id=case_id, actor=actor.name, at=now, from_status=status, to_status=status,
                note=f"reply not sent: {error}", kind="send_failed",
            )
        )  # fmt: skip
