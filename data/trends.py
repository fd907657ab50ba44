"""Overview figures, aggregated in SQL: volume and negativity over time, headline counts, topics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from data.engine import READ_ONLY
from data.schema import post_topics, posts, sentiment_scores

TREND_COLUMNS = ["day", "channel", "posts", "negative"]


@dataclass(frozen=True)
class Headline:
    """Counts for one period: posts, complaint candidates, and the negative share."""

    posts: int
    negative: int

    @property
    def negative_share(self) -> float:
        """Complaint candidates as a share of all posts (0 when there are none)."""
        return self.negative / self.posts if self.posts else 0.0


def _scored_posts():
    """Posts joined to their current score (posts not yet scored count as not negative)."""
    return posts.outerjoin(
        sentiment_scores,
        and_(sentiment_scores.c.post_id == posts.c.id, sentiment_scores.c.is_current),
    )


def _is_negative(threshold: float) -> ColumnElement[int]:
    """1 for a complaint candidate, else 0: summed, it counts them."""
    return case((sentiment_scores.c.p_negative >= threshold, 1), else_=0)


def _in_period(start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    """Conditions on published_at for [start, end)."""
    conditions = []
    if start is not None:
        conditions.append(posts.c.published_at >= start)
    if end is not None:
        conditions.append(posts.c.published_at < end)
    return conditions


def _hour_bucket(dialect: str) -> ColumnElement:
    """published_at truncated to the hour, in UTC (days are cut in the reader's time zone)."""
    if dialect == "postgresql":
        return func.date_trunc("hour", func.timezone("UTC", posts.c.published_at))
    return func.strftime("%Y-%m-%d %H:00:00", posts.c.published_at)


def daily_trend(
    engine: Engine,
    start: datetime | None,
    end: datetime | None,
    threshold: float,
    timezone: str,
) -> pd.DataFrame:
    """Posts and complaint candidates per local day and channel.

    SQL groups by UTC hour (a few thousand rows, whatever the number of posts); days are
    then cut in `timezone`, which keeps days right across daylight-saving changes.
    """
    hour = _hour_bucket(engine.dialect.name).label("hour")
    query = (
        select(
            hour,
            posts.c.channel,
            func.count().label("posts"),
            func.sum(_is_negative(threshold)).label("negative"),
        )
        .select_from(_scored_posts())
        .where(*_in_period(start, end))
        .group_by(hour, posts.c.channel)
    )
    with engine.connect().execution_options(**READ_ONLY) as connection:
        hourly = pd.DataFrame(connection.execute(query).all(), columns=["hour", *TREND_COLUMNS[1:]])
    if hourly.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    hours = pd.to_datetime(hourly["hour"], utc=True)
    hourly["day"] = hours.dt.tz_convert(timezone).dt.tz_localize(None).dt.normalize()
    daily = hourly.groupby(["day", "channel"], as_index=False)[["posts", "negative"]].sum()
    return daily.astype({"posts": int, "negative": int})[TREND_COLUMNS]


def headline(
    engine: Engine, start: datetime | None, end: datetime | None, threshold: float
) -> Headline:
    """Posts and complaint candidates published in [start, end)."""
    query = (
        select(func.count(), func.coalesce(func.sum(_is_negative(threshold)), 0))
        .select_from(_scored_posts())
        .where(*_in_period(start, end))
    )
    with engine.connect().execution_options(**READ_ONLY) as connection:
        total, negative = connection.execute(query).one()
    return Headline(int(total), int(negative))


def complaint_topics(
    engine: Engine, start: datetime | None, end: datetime | None, threshold: float
) -> pd.DataFrame:
    """Complaint candidates per complaint topic in [start, end), most frequent first."""
    query = (
        select(post_topics.c.topic, func.count().label("complaints"))
        .select_from(_scored_posts().join(post_topics, post_topics.c.post_id == posts.c.id))
        .where(sentiment_scores.c.p_negative >= threshold, *_in_period(start, end))
        .group_by(post_topics.c.topic)
        .order_by(func.count().desc(), post_topics.c.topic)
    )
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame(rows, columns=["topic", "complaints"])


def latest_post_time(engine: Engine) -> datetime | None:
    """When the newest post was published (None for an empty database)."""
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return connection.execute(select(func.max(posts.c.published_at))).scalar()
