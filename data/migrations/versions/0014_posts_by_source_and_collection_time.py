"""posts indexed by source and collection time

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:30:00
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(
        "ix_posts_source_id_collected_at", "posts", ["source_id", "collected_at"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_posts_source_id_collected_at", table_name="posts")
