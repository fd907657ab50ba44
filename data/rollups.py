"""The hourly rollup of posts: moved by each batch's deltas as posts are stored
(data/rollup_deltas.py), rebuilt in full after a bulk load or a migration. The Overview's
figures read it instead of every post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, String, and_, case, delete, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import type_coerce

from data.schema import (
    ROLLUP_STEPS,
    channel_rollups,
    post_rollups,
    post_topics,
    posts,
    rollup_negative_column,
    sentiment_scores,
)

HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Names the PostgreSQL advisory locks (class, hour) writers take while changing an hour.
LOCK_CLASS = 0x4846


def floor_hour(moment: datetime) -> datetime:
    """The start of the UTC hour a moment falls in (a naive moment is taken as UTC)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def rollup_step(threshold: float) -> int | None:
    """The rollup step counting complaints at exactly this threshold (None between steps)."""
    step = round(threshold * ROLLUP_STEPS)
    return step if 1 <= step <= ROLLUP_STEPS and step / ROLLUP_STEPS == threshold else None


def hour_bucket(dialect: str) -> ColumnElement:
    """published_at truncated to its UTC hour, in the form the rollup's hour column stores."""
    if dialect == "postgresql":
        utc_wall_clock = func.timezone("UTC", posts.c.published_at)
        return func.timezone("UTC", func.date_trunc("hour", utc_wall_clock))
    # SQLAlchemy stores SQLite datetimes as text with microseconds; match it exactly.
    return func.strftime("%Y-%m-%d %H:00:00.000000", posts.c.published_at)


def scored_posts():
    """Posts joined to their current score (posts not yet scored count as not negative)."""
    return posts.outerjoin(
        sentiment_scores,
        and_(sentiment_scores.c.post_id == posts.c.id, sentiment_scores.c.is_current),
    )


def topic_set(dialect: str) -> ColumnElement[str]:
    """A post's topics as ",delivery,refund," ("" for none): one key the filters can LIKE.

    The order inside is only cosmetic: a filter matches ",topic," anywhere in the set.
    """
    if dialect == "postgresql":
        joined = func.string_agg(
            post_topics.c.topic, aggregate_order_by(literal(","), post_topics.c.topic)
        )
    else:
        joined = func.group_concat(post_topics.c.topic, ",")
    topics = select(joined).where(post_topics.c.post_id == posts.c.id).scalar_subquery()
    return func.coalesce(literal(",") + type_coerce(topics, String) + literal(","), "")


def rollup_select(dialect: str, conditions: list[ColumnElement[bool]]):
    """Rollup rows of the posts matching `conditions`, grouped by hour, channel, product, topics."""
    per_post = (
        select(
            hour_bucket(dialect).label("hour"),
            posts.c.channel,
            func.coalesce(posts.c.product, "").label("product"),
            topic_set(dialect).label("topics"),
            sentiment_scores.c.label,
            sentiment_scores.c.p_negative,
        )
        .select_from(scored_posts())
        .where(*conditions)
        .subquery()
    )
    keys = [per_post.c.hour, per_post.c.channel, per_post.c.product, per_post.c.topics]
    negatives = [
        func.sum(case((per_post.c.p_negative >= step / ROLLUP_STEPS, 1), else_=0))
        for step in range(1, ROLLUP_STEPS + 1)
    ]
    positive = func.sum(case((per_post.c.label == "positive", 1), else_=0))
    return select(*keys, func.count(), positive, *negatives).group_by(*keys)


ROLLUP_COLUMNS = [
    "hour", "channel", "product", "topics", "posts", "positive",
    *(rollup_negative_column(step) for step in range(1, ROLLUP_STEPS + 1)),
]  # fmt: skip


def _sum_by_channel(connection: Connection, conditions: list[ColumnElement[bool]]) -> None:
    """Insert channel_rollups rows summed from the post_rollups rows matching `conditions`."""
    keys = [post_rollups.c.hour, post_rollups.c.channel]
    sums = [func.sum(post_rollups.c[name]) for name in ROLLUP_COLUMNS[4:]]
    summed = select(*keys, *sums).where(*conditions).group_by(*keys)
    names = ["hour", "channel", *ROLLUP_COLUMNS[4:]]
    connection.execute(channel_rollups.insert().from_select(names, summed))


def rebuild_rollups(connection: Connection) -> None:
    """Recompute both rollups from the posts (after a bulk load, or a migration)."""
    for table in (post_rollups, channel_rollups):
        connection.execute(delete(table))
    select_all = rollup_select(connection.dialect.name, [])
    connection.execute(post_rollups.insert().from_select(ROLLUP_COLUMNS, select_all))
    _sum_by_channel(connection, [])


def fill_empty_rollup(connection: Connection) -> None:
    """Build the rollups when one is empty but posts exist: right after the migration adding
    it, or one that changed its shape."""
    if connection.execute(select(posts.c.id).limit(1)).first() is None:
        return
    for table in (post_rollups, channel_rollups):
        if connection.execute(select(table.c.hour).limit(1)).first() is None:
            rebuild_rollups(connection)
            return
