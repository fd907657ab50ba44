"""dates as given beside posts, and posts that could not be stored

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from data.types import UtcDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("published_given", sa.Text(), nullable=True))
    op.create_table(
        "quarantined_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"],
            name="fk_quarantined_posts_source_id_sources", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_quarantined_posts"),
        sa.UniqueConstraint(
            "source_id", "external_id", name="uq_quarantined_posts_source_id_external_id"
        ),
    )  # fmt: skip


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("quarantined_posts")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("published_given")
