"""The reply queue: cases in lanes (answerable, overdue, backfill, answered), ranked.

The lanes and the priority inside a lane are the rule in `sentiment.priority`. Which case is
in which lane is decided here, in SQL, so a view (the cases to answer next, or the backfill)
is counted and listed without reading the others; the priority of the listed cases is then
computed from their post's negativity and reach and the SLA clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, and_, case, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from data.aggregates import tagged_with
from data.engine import READ_ONLY
from data.inserts import among, chunks
from data.schema import (
    WAITING_FOR_REPLY,
    cases,
    post_topics,
    posts,
    sentiment_scores,
    sources,
)
from data.sla import DEFAULT_SLA, SlaPolicy
from sentiment.priority import LANE_ORDER, LANES, priority

QUEUE_COLUMNS = [
    "case_id", "status", "assignee", "due_at", "backfill", "first_reply_at", "post_id",
    "published_at", "channel", "language", "source", "source_kind", "author", "title", "body",
    "url", "score",
    "comments", "followers", "label", "p_negative", "uncertain", "model", "reply_url",
]  # fmt: skip
# What each view shows, by lane; "next" is the default: what can still be saved, then late.
VIEWS: dict[str, tuple[str, ...]] = {
    "next": ("answerable", "overdue"),
    "answerable": ("answerable",),
    "overdue": ("overdue",),
    "backfill": ("backfill",),
    "all": LANES,
}
ACTIONABLE_STATUSES = ("new", "claimed")
DEFAULT_STALE_AFTER = 3 * 86400
SORTS = ("priority", "due")


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is narrowed to; empty sequences mean everything."""

    statuses: Sequence[str] = ACTIONABLE_STATUSES
    channels: Sequence[str] = ()
    languages: Sequence[str] = ()
    topics: Sequence[str] = ()
    assignees: Sequence[str] = ()
    search: str = ""  # words in the post's title, text or author
    view: str = "all"
    now: datetime | None = None  # the lanes' clock; None: the current time
    stale_after_seconds: int = DEFAULT_STALE_AFTER  # overdue longer than this joins backfill

    def clock(self) -> datetime:
        """The moment the lanes are drawn at."""
        return self.now or datetime.now(UTC)

    def apply(self, query, lanes: Sequence[str] | None = None):
        """The query narrowed by this filter (to `lanes`, by default the view's)."""
        query = query.where(cases.c.status.in_(list(self.statuses)))
        if self.channels:
            query = query.where(posts.c.channel.in_(list(self.channels)))
        if self.languages:
            query = query.where(posts.c.language.in_(list(self.languages)))
        if self.assignees:
            query = query.where(cases.c.assignee.in_(list(self.assignees)))
        if self.topics:
            query = query.where(tagged_with(self.topics))
        if words := self.search.strip():
            searched = (posts.c.body, posts.c.title, posts.c.author)
            query = query.where(or_(*(column.icontains(words, autoescape=True)
                                      for column in searched)))  # fmt: skip
        wanted = VIEWS[self.view] if lanes is None else lanes
        if set(wanted) != set(LANES):
            query = query.where(or_(*(self.lane_condition(lane) for lane in wanted)))
        return query

    def lane_condition(self, lane: str) -> ColumnElement[bool]:
        """Cases in `lane` now, by the rule `sentiment.priority` states."""
        now = self.clock()
        stale = now - timedelta(seconds=self.stale_after_seconds)
        unanswered = cases.c.first_reply_at.is_(None)
        timely = and_(WAITING_FOR_REPLY, cases.c.due_at.is_not(None))
        return {
            "answerable": and_(timely, cases.c.due_at >= now),
            "overdue": and_(timely, cases.c.due_at < now, cases.c.due_at >= stale),
            "backfill": and_(
                unanswered,
                or_(cases.c.backfill.is_(True), cases.c.due_at.is_(None), cases.c.due_at < stale),
            ),
            "answered": cases.c.first_reply_at.is_not(None),
        }[lane]


def _case_rows():
    """Cases joined to their post, source and current score."""
    return (
        cases.join(posts, posts.c.id == cases.c.post_id)
        .join(sources, sources.c.id == posts.c.source_id)
        .outerjoin(
            sentiment_scores,
            and_(sentiment_scores.c.post_id == posts.c.id, sentiment_scores.c.is_current),
        )
    )


def _case_columns() -> list:
    """The columns of QUEUE_COLUMNS, in order."""
    return [
        cases.c.id.label("case_id"), cases.c.status, cases.c.assignee, cases.c.due_at,
        cases.c.backfill, cases.c.first_reply_at, posts.c.id.label("post_id"),
        posts.c.published_at, posts.c.channel, posts.c.language, sources.c.name.label("source"),
        sources.c.kind.label("source_kind"), posts.c.author, posts.c.title, posts.c.body,
        posts.c.url, posts.c.score,
        posts.c.comments, posts.c.followers, sentiment_scores.c.label,
        sentiment_scores.c.p_negative, sentiment_scores.c.uncertain, sentiment_scores.c.model,
        cases.c.reply_url,
    ]  # fmt: skip


def count_cases(engine: Engine, narrowed: QueueFilter = QueueFilter()) -> int:
    """How many cases the filter's view matches (the list itself is capped)."""
    query = narrowed.apply(select(func.count()).select_from(_case_rows()))
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return int(connection.execute(query).scalar_one())


def _lane_column(narrowed: QueueFilter):
    """The lane of each case now, as a column."""
    lanes = ((narrowed.lane_condition(name), literal(name)) for name in LANES[:3])
    return case(*lanes, else_=literal("answered")).label("lane")


def lane_counts(engine: Engine, narrowed: QueueFilter = QueueFilter()) -> dict[str, int]:
    """Cases per lane under the filter (whatever its view), for the view switcher."""
    lane = _lane_column(narrowed)
    query = narrowed.apply(select(lane, func.count()).select_from(_case_rows()), LANES)
    with engine.connect().execution_options(**READ_ONLY) as connection:
        found = dict(connection.execute(query.group_by(lane)).all())
    return {name: int(found.get(name, 0)) for name in LANES}


def queue_cases(
    engine: Engine, narrowed: QueueFilter = QueueFilter(), limit: int = 2000
) -> pd.DataFrame:
    """Cases of the filter's view with their lane, topics and seconds left, at most `limit`.

    Each lane is read in its own order (answerable soonest due, overdue most recently due,
    backfill newest first) so the cap cuts the cases that rank last, not arbitrary ones.
    """
    orders = {
        "answerable": cases.c.due_at.asc(),
        "overdue": cases.c.due_at.desc(),
        "backfill": cases.c.opened_at.desc(),
        "answered": cases.c.first_reply_at.desc(),
    }
    frames = []
    with engine.connect().execution_options(**READ_ONLY) as connection:
        for lane in VIEWS[narrowed.view]:
            query = select(*_case_columns()).select_from(_case_rows())
            query = narrowed.apply(query, (lane,)).order_by(orders[lane], cases.c.id).limit(limit)
            rows = connection.execute(query).all()
            frames.append(pd.DataFrame(rows, columns=QUEUE_COLUMNS).assign(lane=lane))
        return _finish(connection, pd.concat(frames, ignore_index=True), narrowed.clock())


def _finish(connection: Connection, frame: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Aware times, no NaN for a missing assignee, each post's topics, seconds left."""
    for column in ("published_at", "due_at", "first_reply_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    topics = _topics_of(connection, [int(value) for value in frame["post_id"]])
    frame["topics"] = [topics.get(int(post_id), []) for post_id in frame["post_id"]]
    frame["assignee"] = frame["assignee"].astype(object).where(frame["assignee"].notna(), None)
    seconds_left = (frame["due_at"] - pd.Timestamp(now)).dt.total_seconds()
    frame["time_left_s"] = seconds_left.where(frame["lane"] != "answered")
    return frame


def _topics_of(connection: Connection, post_ids: list[int]) -> dict[int, list[str]]:
    """The complaint topics of each post, in chunks small enough for any driver."""
    found: dict[int, list[str]] = {}
    for chunk in chunks(post_ids):
        rows = connection.execute(
            select(post_topics.c.post_id, post_topics.c.topic)
            .where(among(connection, post_topics.c.post_id, chunk))
            .order_by(post_topics.c.post_id, post_topics.c.topic)
        )
        for post_id, topic in rows:
            found.setdefault(post_id, []).append(topic)
    return found


def ranked_cases(
    engine: Engine,
    narrowed: QueueFilter = QueueFilter(),
    sla: SlaPolicy = DEFAULT_SLA,
    sort: str = "priority",
    limit: int = 2000,
) -> pd.DataFrame:
    """The view's cases in the queue's order, with the factors of each case's priority.

    `sort="priority"`: lane, then priority. `sort="due"`: lane, then closest to its deadline.
    """
    frame = with_priority(queue_cases(engine, narrowed, limit), sla, narrowed.clock())
    frame = frame.assign(lane_order=[LANE_ORDER[lane] for lane in frame["lane"]])
    if sort == "due":
        frame = frame.assign(closeness=frame["time_left_s"].abs())
        keys, ascending = ["lane_order", "closeness", "case_id"], [True, True, True]
    else:
        keys, ascending = ["lane_order", "priority", "case_id"], [True, False, True]
    frame = frame.sort_values(keys, ascending=ascending, ignore_index=True, na_position="last")
    return frame.drop(columns=[name for name in ("lane_order", "closeness") if name in frame])


def with_priority(frame: pd.DataFrame, sla: SlaPolicy, now: datetime) -> pd.DataFrame:
    """Queue rows with their priority and its factors (negativity, reach, urgency)."""
    ranks = [
        priority(_number(row.p_negative), _count(row.score), _count(row.comments),
                 _count(row.followers), sla.elapsed(row.published_at.to_pydatetime(), now),
                 sla.hours, row.lane, max(0.0, -_number(row.time_left_s)) / 3600)
        for row in frame.itertuples()
    ]  # fmt: skip
    return frame.assign(
        priority=[rank.value for rank in ranks],
        negativity=[rank.negativity for rank in ranks],
        reach=[rank.reach for rank in ranks],
        urgency=[rank.urgency for rank in ranks],
    )


def _number(value) -> float:
    """A float, 0 for a missing value (None or NaN)."""
    return 0.0 if value is None or pd.isna(value) else float(value)


def _count(value) -> int | None:
    """An int, None for a missing value (pandas turns a column with gaps into floats)."""
    return None if value is None or pd.isna(value) else int(value)


def case_row(engine: Engine, case_id: int, now: datetime | None = None) -> pd.DataFrame:
    """One case as a queue row, whatever its status or lane: the panel keeps showing it."""
    narrowed = QueueFilter(now=now)
    query = select(*_case_columns(), _lane_column(narrowed)).select_from(_case_rows())
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(query.where(cases.c.id == case_id)).all()
        frame = pd.DataFrame(rows, columns=[*QUEUE_COLUMNS, "lane"])
        return _finish(connection, frame, narrowed.clock())


def distinct_values(connection: Connection, column: ColumnElement) -> list:
    """The distinct values of an indexed column, one index probe per value (a loose index
    scan, as a recursive query): DISTINCT would read every entry of a million-row index."""
    found = select(func.min(column).label("value")).cte("found", recursive=True)
    following = select(func.min(column)).where(column > found.c.value).scalar_subquery()
    found = found.union_all(select(following).where(found.c.value.is_not(None)))
    return [value for value in connection.execute(select(found.c.value)).scalars() if value]


def queue_facets(engine: Engine) -> dict[str, list[str]]:
    """Values the queue's filters offer: channels, languages and topics of posts, and the
    people cases have been assigned to."""
    columns = {"channels": posts.c.channel, "languages": posts.c.language,
               "topics": post_topics.c.topic, "assignees": cases.c.assignee}  # fmt: skip
    with engine.connect().execution_options(**READ_ONLY) as connection:
        return {name: distinct_values(connection, column) for name, column in columns.items()}
