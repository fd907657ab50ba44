"""Replies sent where a complaint was posted: a replier per source kind, registered in REPLIERS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collectors.replies.base import Replier, ReplyTarget, SendFailed, SentReply
from collectors.replies.discourse import DiscourseReplier
from collectors.replies.mail import MailReplier
from collectors.replies.reddit import RedditReplier

# kind -> a factory taking that kind's Settings; it answers None when the settings cannot send.
REPLIERS: dict[str, Callable[[Any], Replier | None]] = {
    RedditReplier.kind: RedditReplier.from_settings,
    MailReplier.kind: MailReplier.from_settings,
    DiscourseReplier.kind: DiscourseReplier.from_settings,
}


def replier_for(kind: str, settings: Any) -> Replier | None:
    """The replier for a source of this kind and settings, or None when that source cannot send.

    None means the kind has no replier or its send settings are not filled in; the reply is
    then copied by hand. Nothing is connected here: clients are made in `send`.
    """
    factory = REPLIERS.get(kind)
    return factory(settings) if factory is not None else None


__all__ = ["REPLIERS", "Replier", "ReplyTarget", "SendFailed", "SentReply", "replier_for"]
