"""each case carries its post's channel; waiting cases indexed by due time

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # NOT NULL with a default so SQLite can add it in place (no table rebuild, which would
    # drop and re-create the table the case events and reply sends point at).
    op.add_column(
        "cases", sa.Column("channel", sa.String(length=40), nullable=False, server_default="")
    )
    op.execute(
        "UPDATE cases SET channel = "
        "(SELECT posts.channel FROM posts WHERE posts.id = cases.post_id)"
    )
    if op.get_context().dialect.name == "postgresql":
        op.alter_column("cases", "channel", server_default=None)
    waiting = sa.text("first_reply_at IS NULL AND backfill IS false")
    if op.get_context().dialect.name == "sqlite":
        waiting = sa.text("first_reply_at IS NULL AND backfill IS 0")
    op.create_index(
        "ix_cases_waiting_due",
        "cases",
        ["due_at", "id", "status", "channel"],
        unique=False,
        sqlite_where=waiting,
        postgresql_where=waiting,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_cases_waiting_due", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("channel")
