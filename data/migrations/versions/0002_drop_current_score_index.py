"""Drop the index on sentiment_scores (is_current, p_negative).

SQLite chose it for the join from posts to their current score, scanning every current
score once per post (seconds at a few thousand posts); the primary key (post_id, model)
is the right path for that join.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.drop_index("ix_sentiment_scores_current", table_name="sentiment_scores")


def downgrade() -> None:
    """Revert this revision."""
    op.create_index("ix_sentiment_scores_current", "sentiment_scores", ["is_current", "p_negative"])
