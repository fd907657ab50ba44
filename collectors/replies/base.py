"""The shapes every replier shares: what a reply answers, where it went, why it did not go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hundredfold.redaction import redact


@dataclass(frozen=True)
class ReplyTarget:
    """The stored post a reply answers."""

    external_id: str  # Reddit fullname (t3_... / t1_...), mail Message-ID (<...>), feed entry id
    url: str  # the post's public URL ("" when none)
    author: str  # "Name <addr@x>" for mail, a username for Reddit
    title: str = ""
    parent_external_id: str | None = None


@dataclass(frozen=True)
class SentReply:
    """Where the reply went: its public URL when it has one, and the channel's own id for it."""

    url: str | None  # a Reddit permalink or a Discourse post URL; None for mail
    reference: str  # Reddit comment fullname, the sent mail's Message-ID, Discourse post id


class SendFailed(Exception):
    """A reply that did not go out; str(error) says why in one plain sentence."""

    def __init__(self, message: str, retryable: bool):
        # Hidden here, as it is raised: the message is stored on the case and shown.
        super().__init__(redact(message))
        # True for what may pass by itself (429, 5xx, timeouts, refused connections); False
        # for what only a person can fix (credentials, a deleted post, bad settings).
        self.retryable = retryable


class Replier(Protocol):
    """Sends replies to the posts of one source."""

    def send(self, target: ReplyTarget, text: str, key: str) -> SentReply:
        """Post `text` as a reply to `target`; `key` identifies this case's draft (hex)."""
        ...
