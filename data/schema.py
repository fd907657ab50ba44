"""Tables, defined once for SQLite and PostgreSQL (SQLAlchemy Core)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.sql.expression import false

from data.types import UtcDateTime

metadata: MetaData = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _when(name: str, **kwargs) -> Column:
    """A timezone-aware timestamp column (stored in UTC)."""
    return Column(name, UtcDateTime(), **kwargs)


sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("settings", JSON, nullable=False, default=dict),
    Column("every_seconds", Integer, nullable=False, default=900),
    Column("state", JSON, nullable=False, default=dict),
    _when("next_due_at"),
    _when("last_run_at"),
    _when("last_success_at"),
    Column("last_status", String(20)),
    Column("last_error", Text),
    _when("last_error_at"),
    Column("last_warning", Text),
    _when("last_warning_at"),
    # Which collector is running the source, until when (data/leases.py).
    Column("lease_owner", String(120)),
    _when("lease_expires_at"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("external_id", String(500), nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("author", String(200), nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("body_html", Text),
    Column("language", String(12), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("product", String(200)),
    Column("parent_external_id", String(500)),
    _when("published_at", nullable=False),
    Column("published_at_estimated", Boolean, nullable=False, default=False),
    Column("published_given", Text),  # a date outside the sane window, as the source gave it
    _when("collected_at", nullable=False),
    _when("updated_at", nullable=False),
    Column("score", Integer),
    Column("comments", Integer),
    Column("followers", Integer),
    Column("rating", Float),
    Column("content_hash", String(64), nullable=False),
    UniqueConstraint("source_id", "external_id"),
    Index("ix_posts_published_at", "published_at"),
    Index("ix_posts_content_hash", "content_hash"),
    Index("ix_posts_channel_published_at", "channel", "published_at"),
    Index("ix_posts_published_at_channel", "published_at", "channel"),
    Index("ix_posts_language", "language"),  # the queue's language filter lists its values
    # Each source's newest and last-day posts (source health, silent-source alerts, stats).
    Index("ix_posts_source_id_collected_at", "source_id", "collected_at"),
)

post_history = Table(
    "post_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("body_html", Text),
    Column("content_hash", String(64), nullable=False),
    _when("replaced_at", nullable=False),
)

post_topics = Table(
    "post_topics",
    metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("topic", String(40), primary_key=True),
    Index("ix_post_topics_topic", "topic"),
)

sentiment_scores = Table(
    "sentiment_scores",
    metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(80), primary_key=True),
    Column("label", String(10), nullable=False),
    Column("p_negative", Float, nullable=False),
    Column("p_neutral", Float, nullable=False),
    Column("p_positive", Float, nullable=False),
    Column("uncertain", Boolean, nullable=False),
    # The score the product shows; earlier models' scores stay for comparison.
    Column("is_current", Boolean, nullable=False, default=True),
    _when("scored_at", nullable=False),
    # Covers the join from posts to their current score: aggregates never touch the table.
    Index("ix_sentiment_scores_covering", "post_id", "is_current", "p_negative", "label"),
)

# Threshold steps the rollup counts complaint candidates at: 0.05, 0.10, ... 1.00.
ROLLUP_STEPS = 20


def rollup_negative_column(step: int) -> str:
    """Column counting posts with P(negative) >= step / ROLLUP_STEPS."""
    return f"negative_{step * 100 // ROLLUP_STEPS}"


def _rollup_counts() -> list[Column]:
    """A rollup row's counts: posts, positive posts, complaints at each threshold step."""
    names = ["posts", "positive"]
    names += [rollup_negative_column(step) for step in range(1, ROLLUP_STEPS + 1)]
    return [Column(name, Integer, nullable=False) for name in names]


# Posts per UTC hour, channel, product and topic set, kept in step with posts by save_batch:
# the Overview reads a few thousand rows here instead of a million posts.
post_rollups = Table(
    "post_rollups",
    metadata,
    _when("hour", primary_key=True),
    Column("channel", String(40), primary_key=True),
    Column("product", String(200), primary_key=True),  # "" when the post names none
    Column("topics", String(400), primary_key=True),  # ",delivery,refund," sorted; "" for none
    *_rollup_counts(),
)
# The same per hour and channel only: what an Overview not narrowed to topics or products reads.
channel_rollups = Table(
    "channel_rollups",
    metadata,
    _when("hour", primary_key=True),
    Column("channel", String(40), primary_key=True),
    *_rollup_counts(),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, unique=True),
    # The post's channel, copied when the case opens (a post never changes channel), so the
    # overdue alert counts and lists each channel's waiting cases without reading the posts.
    Column("channel", String(40), nullable=False),
    Column("status", String(20), nullable=False, default="new"),
    Column("assignee", String(200)),
    _when("opened_at", nullable=False),
    _when("updated_at", nullable=False),
    _when("due_at"),
    # Already past the SLA when first collected: counted apart in the SLA figures.
    Column("backfill", Boolean, nullable=False, default=False, server_default=false()),
    _when("claimed_at"),
    _when("first_reply_at"),
    # Hours on the SLA clock from publication to the first reply, set when it is recorded:
    # reply figures are then SQL aggregates, whatever business hours the clock follows.
    Column("reply_hours", Float),
    Column("reply_url", Text),
    Column("reply_text", Text),
    _when("resolved_at"),
    _when("snoozed_until"),
    Index("ix_cases_status", "status"),
    Index("ix_cases_assignee", "assignee"),  # the queue's assignee filter lists its values
    # Covers the reply figures of a period: the Overview never reads the cases themselves.
    Index("ix_cases_opened_at_reply", "opened_at", "backfill", "reply_hours"),
)
# Cases waiting for a first reply on the SLA clock: the overdue and SLA-warning rules read
# this small index every minute instead of every case ever opened.
WAITING_FOR_REPLY = and_(cases.c.first_reply_at.is_(None), cases.c.backfill.is_(False))
Index("ix_cases_waiting_due", cases.c.due_at, cases.c.id, cases.c.status, cases.c.channel,
      sqlite_where=WAITING_FOR_REPLY, postgresql_where=WAITING_FOR_REPLY)  # fmt: skip

case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    _when("at", nullable=False),
    Column("from_status", String(20), nullable=False),
    Column("to_status", String(20), nullable=False),
    Column("note", Text),
    # transition, note (internal, never sent) or send_failed (a reply that did not go out)
    Column("kind", String(20), nullable=False, default="transition", server_default="transition"),
)

reach_snapshots = Table(
    "reach_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    _when("at", nullable=False),
    Column("score", Integer),
    Column("comments", Integer),
    Column("followers", Integer),
    Index("ix_reach_snapshots_post_id_at", "post_id", "at"),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    _when("at", nullable=False),
    Column("label", String(10), nullable=False),
    Column("reason", Text),
)

collection_runs = Table(
    "collection_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    _when("started_at", nullable=False),
    _when("finished_at"),
    Column("status", String(20), nullable=False, default="running"),
    Column("posts_seen", Integer, nullable=False, default=0),
    Column("posts_new", Integer, nullable=False, default=0),
    Column("posts_updated", Integer, nullable=False, default=0),
    Column("message", Text),
)

# The alert tables, the reply-send ledger, the quarantine and the user tables live beside,
# on the same metadata (imported so it is always complete; the alert tables re-exported).
import data.schema_quarantine  # noqa: E402, F401
import data.schema_replies  # noqa: E402, F401
import data.schema_users  # noqa: E402, F401
from data.schema_alerts import alert_deliveries, alerts  # noqa: E402, F401
