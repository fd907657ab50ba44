"""Alerts (one open per condition) and their deliveries to each target."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from data.schema import _when, metadata

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("dedupe_key", String(300), nullable=False),
    Column("severity", String(20), nullable=False, default="warning"),
    Column("status", String(20), nullable=False, default="open"),
    Column("title", Text, nullable=False, default=""),
    Column("details", JSON, nullable=False, default=dict),
    _when("opened_at", nullable=False),
    _when("closed_at"),
    # Last evaluation that still found the condition (the alert's details are refreshed then).
    _when("last_seen_at"),
    Column("acknowledged_by", String(200)),
    _when("acknowledged_at"),
    Column("snoozed_by", String(200)),
    # Until then the alert is hidden from the open list and its key may not fire again.
    _when("snoozed_until"),
    Index("ix_alerts_status_kind", "status", "kind"),
    Index("ix_alerts_dedupe_key", "dedupe_key"),
    # One open alert per condition, even with two evaluators racing.
    Index(
        "uq_alerts_open_dedupe_key",
        "dedupe_key",
        unique=True,
        sqlite_where=text("closed_at IS NULL"),
        postgresql_where=text("closed_at IS NULL"),
    ),
)

alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("target", String(200), nullable=False),
    # pending (to send or to retry), sent, or failed (gave up after many attempts)
    Column("status", String(20), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    _when("created_at", nullable=False),
    _when("last_attempt_at"),
    _when("sent_at"),
    UniqueConstraint("alert_id", "target"),
    Index("ix_alert_deliveries_status", "status"),
)
