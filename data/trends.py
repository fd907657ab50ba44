"""Overview figures, aggregated in SQL: volume and sentiment over time, topics, products, posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from data.aggregates import View, aggregate
from data.engine import READ_ONLY
from data.rollups import scored_posts
from data.schema import alerts, cases, post_rollups, posts, sentiment_scores

TREND_COLUMNS = ["day", "channel", "posts", "negative"]
SHOWN_POSTS = 200  # the Overview lists this many of the posts behind a view; CSV has them all
POST_COLUMNS = [
    "post_id", "published_at", "channel", "language", "product", "author", "title", "body",
    "url", "score", "comments", "label", "p_negative", "case_id", "case_status",
]  # fmt: skip


@dataclass(frozen=True)
class Headline:
    """Counts for one view: posts, complaint candidates, and posts judged positive."""

    posts: int
    negative: int
    positive: int = 0

    @property
    def negative_share(self) -> float:
        """Complaint candidates as a share of all posts (0 when there are none)."""
        return self.negative / self.posts if self.posts else 0.0

    @property
    def net_sentiment(self) -> float:
        """(positive − negative) / posts, from −1 (all negative) to +1 (all positive)."""
        return (self.positive - self.negative) / self.posts if self.posts else 0.0


def _read(engine: Engine, query) -> list:
    """All rows of a read-only query."""
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return list(connection.execute(query).all())


def daily_trend(engine: Engine, view: View, timezone: str, weekly: bool = False) -> pd.DataFrame:
    """Posts and complaint candidates per local day (or week) and channel.

    SQL groups by UTC hour (a few thousand rows, whatever the number of posts); days are
    then cut in `timezone`, which keeps days right across daylight-saving changes.
    """
    hourly = aggregate(engine, view, ("hour", "channel"))
    if hourly.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    local = hourly["hour"].dt.tz_convert(timezone).dt.tz_localize(None)
    hourly["day"] = local.dt.to_period("W-SUN").dt.start_time if weekly else local.dt.normalize()
    daily = hourly.groupby(["day", "channel"], as_index=False)[["posts", "negative"]].sum()
    return daily.astype({"posts": int, "negative": int})[TREND_COLUMNS]


def headline(engine: Engine, view: View) -> Headline:
    """Posts, complaint candidates and positive posts in the view."""
    totals = aggregate(engine, view).iloc[0]
    return Headline(int(totals["posts"]), int(totals["negative"]), int(totals["positive"]))


def complaint_topics(engine: Engine, view: View) -> pd.DataFrame:
    """Complaint candidates per complaint topic in the view, most frequent first."""
    frame = aggregate(engine, view, ("topic",)).rename(columns={"negative": "complaints"})
    frame = frame[frame["complaints"] > 0].sort_values(
        ["complaints", "topic"], ascending=[False, True]
    )
    return frame[["topic", "complaints"]].reset_index(drop=True)


def product_breakdown(engine: Engine, view: View) -> pd.DataFrame:
    """Posts and complaint candidates per product (posts naming none are left out)."""
    frame = aggregate(engine, view, ("product",))
    frame = frame[frame["product"] != ""].sort_values(["posts", "product"], ascending=[False, True])
    return frame[["product", "posts", "negative"]].reset_index(drop=True)


def posts_in_view(
    engine: Engine, view: View, complaints_only: bool = False, limit: int | None = None
) -> pd.DataFrame:
    """The posts behind the view, newest first, with their judgement and case."""
    query = (
        select(
            posts.c.id, posts.c.published_at, posts.c.channel, posts.c.language,
            posts.c.product, posts.c.author, posts.c.title, posts.c.body, posts.c.url,
            posts.c.score, posts.c.comments, sentiment_scores.c.label,
            sentiment_scores.c.p_negative, cases.c.id, cases.c.status,
        )
        .select_from(scored_posts().outerjoin(cases, cases.c.post_id == posts.c.id))
        .where(*view.conditions())
        .order_by(posts.c.published_at.desc(), posts.c.id.desc())
        .limit(limit)
    )  # fmt: skip
    if complaints_only:
        query = query.where(sentiment_scores.c.p_negative >= view.threshold)
    frame = pd.DataFrame(_read(engine, query), columns=POST_COLUMNS)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame


MARKED_ALERT_KINDS = ("spike", "viral", "new_topic")


def alert_markers(engine: Engine, view: View) -> pd.DataFrame:
    """Spikes, viral posts and new topics raised in the view's period, for the trend chart
    (with their key and details, from which a page says them in the reader's language)."""
    query = select(
        alerts.c.opened_at, alerts.c.kind, alerts.c.title, alerts.c.dedupe_key, alerts.c.details
    ).where(alerts.c.kind.in_(MARKED_ALERT_KINDS))
    if view.start is not None:
        query = query.where(alerts.c.opened_at >= view.start)
    if view.end is not None:
        query = query.where(alerts.c.opened_at < view.end)
    columns = ["opened_at", "kind", "title", "dedupe_key", "details"]
    frame = pd.DataFrame(_read(engine, query.order_by(alerts.c.opened_at)), columns=columns)
    frame["opened_at"] = pd.to_datetime(frame["opened_at"], utc=True)
    return frame


def product_names(engine: Engine) -> list[str]:
    """Products that posts have been matched to, for the Overview's filter (from the rollup,
    which has a row per product and hour, not per post)."""
    query = select(post_rollups.c.product).where(post_rollups.c.product != "").distinct()
    return sorted(row[0] for row in _read(engine, query))


def latest_post_time(engine: Engine) -> datetime | None:
    """When the newest post was published (None for an empty database)."""
    return _read(engine, select(func.max(posts.c.published_at)))[0][0]
