"""Send a case's reply through its channel and record it: the wiring of `collectors.replies`
(the channels) and `data.replies` (the ledger that keeps a reply from going out twice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from collectors.replies import Replier, ReplyTarget, SendFailed, replier_for
from data.cases import Actor, TransitionRefused, reply_case
from data.replies import begin_send, draft_key, fail_send, finish_send, reply_post
from hundredfold.config import Config


@dataclass(frozen=True)
class SendOutcome:
    """A reply that went out (now, or on an earlier click): where it is, which cases it covers."""

    reply_url: str
    reference: str
    replied: list[int]
    already_sent: bool = False


def source_replier(config: Config, source_name: str) -> Replier | None:
    """The replier of the named source, or None when its replies are copied by hand."""
    source = next((source for source in config.sources if source.name == source_name), None)
    return replier_for(source.kind, source.settings) if source else None


def send_reply(
    config: Config, engine: Engine, case_id: int, actor: Actor, text: str, now: datetime
) -> SendOutcome:
    """Post `text` as the public reply to the case's post and record it on the case.

    Refused (TransitionRefused, saying why) when the channel cannot send, the case is not the
    actor's, or the send failed; a failed send leaves the case unreplied and notes why in its
    history. The same draft sent twice goes out once.
    """
    if not text.strip():
        raise TransitionRefused("the reply is empty")
    post = reply_post(engine, case_id)
    replier = source_replier(config, post.source)
    if replier is None:
        raise TransitionRefused(
            f"replies to source {post.source!r} are not sent from Hundredfold: post the reply "
            "there and record its URL"
        )
    key = draft_key(case_id, text)
    record = begin_send(engine, case_id, actor, key, post.kind, text, now)
    if record.status == "sent" and record.reply_url:
        return SendOutcome(record.reply_url, record.reference or "",
                           _record_if_needed(engine, case_id, actor, now, record.reply_url, text,
                                             config), already_sent=True)  # fmt: skip
    target = ReplyTarget(post.external_id, post.url, post.author, post.title,
                         post.parent_external_id)  # fmt: skip
    try:
        sent = replier.send(target, text, key)
    except SendFailed as failure:
        fail_send(engine, case_id, key, actor, str(failure), now)
        raise TransitionRefused(f"the reply was not sent: {failure}") from failure
    reply_url = sent.url or f"mid:{sent.reference.strip('<>')}"
    replied = finish_send(engine, case_id, key, actor, now, reply_url, sent.reference, text,
                          sla=config.sla())  # fmt: skip
    return SendOutcome(reply_url, sent.reference, replied)


def _record_if_needed(
    engine: Engine, case_id: int, actor: Actor, now: datetime, url: str, text: str, config: Config
) -> list[int]:
    """Record an earlier send on the case when that step was interrupted; else nothing."""
    try:
        return reply_case(engine, case_id, actor, now, url, text, sla=config.sla())
    except TransitionRefused:
        return [case_id]  # already recorded: the case has moved on
