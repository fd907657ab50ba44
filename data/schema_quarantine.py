"""Posts that could not be stored: kept with the reason, so nothing a source sent is lost."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from data.schema import _when, metadata

# One row per source and external id: a re-run that meets the same post again updates it
# (last_seen, the reason of the last attempt) instead of adding another.
quarantined_posts = Table(
    "quarantined_posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("external_id", String(500), nullable=False),  # cut to fit; the full one is in `row`
    Column("reason", Text, nullable=False),
    Column("row", JSON, nullable=False),  # the post as the collector gave it
    _when("first_seen", nullable=False),
    _when("last_seen", nullable=False),
    UniqueConstraint("source_id", "external_id"),
)
