"""The ledger of replies sent through a channel: one row per case and draft."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from data.schema import _when, metadata

# A send is keyed by its case and draft (`key`): a second click, or a retry after a failure
# whose reply did go out, finds the row and never posts the same reply twice.
reply_sends = Table(
    "reply_sends",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("channel", String(40), nullable=False),  # the source kind it went through
    # sending (in flight), sent, or failed (the case stays unreplied; the draft is kept)
    Column("status", String(20), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    _when("started_at", nullable=False),
    _when("finished_at"),
    Column("reply_url", Text),
    Column("reference", String(500)),  # the channel's id of the reply (comment, Message-ID)
    Column("error", Text),
)
