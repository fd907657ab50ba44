"""Complaints per alert window, for the brand and per topic, read mostly from the hourly rollup.

A window [a, b) is the rollup's whole hours from h(a) to h(b) corrected by the posts between
each end and its hour: h(t) is the hour mark nearest to t, so a correction reads at most half
an hour of posts, and on average a quarter. The spike rule's 22 windows then read about a
third of the posts they span. One statement reads the rollup and the corrections together,
so a batch stored meanwhile is in both or in neither. Windows shorter than an hour, and
thresholds between the rollup's steps, are counted from the posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Integer, and_, case, func, literal, null, or_, select, union_all
from sqlalchemy.sql.expression import type_coerce

from data.rollups import HOUR, floor_hour, rollup_step
from data.schema import (
    post_rollups,
    post_topics,
    posts,
    rollup_negative_column,
    sentiment_scores,
)

Window = tuple[datetime, datetime]


def window_counts(
    connection: Connection, windows: Sequence[Window], threshold: float
) -> tuple[list[int], dict[str, list[int]]]:
    """Complaints per window for the brand, and per topic: one count per window each."""
    step = rollup_step(threshold)
    if step is None or any(end - start < HOUR for start, end in windows):
        return _from_posts(connection, windows, threshold)
    anchors = {moment: _nearest_hour(moment) for window in windows for moment in window}
    # A correction per window end that is not on the hour: [hour, end) or [end, hour).
    pieces = sorted({(min(t, h), max(t, h)) for t, h in anchors.items() if t != h})
    hours = sorted({anchors[start] + n * HOUR for start, end in windows
                    for n in range(_hours_between(anchors[start], anchors[end]))})  # fmt: skip
    per_hour: dict[int, dict[str | None, int]] = {}  # slot -> {topic or None (brand): count}
    per_piece: dict[int, dict[str | None, int]] = {}
    seen: list[set[int]] = [set() for _ in pieces]
    query = _rollup_rows(hours, step)
    if pieces:  # none when the evaluation falls on the hour
        query = union_all(query, _piece_rows(pieces, threshold))
    for source, slot, post_id, topic_or_set, amount in connection.execute(query):
        if source == 0:
            counts = per_hour.setdefault(slot, {})
            counts[None] = counts.get(None, 0) + amount
            for topic in filter(None, (topic_or_set or "").split(",")):
                counts[topic] = counts.get(topic, 0) + amount
        elif slot >= 0:
            counts = per_piece.setdefault(slot, {})
            if post_id not in seen[slot]:
                seen[slot].add(post_id)
                counts[None] = counts.get(None, 0) + 1
            if topic_or_set is not None:
                counts[topic_or_set] = counts.get(topic_or_set, 0) + 1
    totals: list[dict[str | None, int]] = []
    slots = {hour: index for index, hour in enumerate(hours)}
    piece_slots = {piece: index for index, piece in enumerate(pieces)}
    for start, end in windows:
        total: dict[str | None, int] = {}
        first, last = anchors[start], anchors[end]
        for n in range(_hours_between(first, last)):
            _add(total, per_hour.get(slots[first + n * HOUR], {}), 1)
        # The rollup began before the window (take the early part off) or after it (add it);
        # it ended before the window's end (add the rest) or after it (take the excess off).
        if first != start:
            piece = per_piece.get(piece_slots[(min(start, first), max(start, first))], {})
            _add(total, piece, -1 if first < start else 1)
        if last != end:
            piece = per_piece.get(piece_slots[(min(end, last), max(end, last))], {})
            _add(total, piece, 1 if last < end else -1)
        totals.append(total)
    brand = [total.get(None, 0) for total in totals]
    names = sorted({name for total in totals for name, count in total.items() if name and count})
    return brand, {name: [total.get(name, 0) for total in totals] for name in names}


def _nearest_hour(moment: datetime) -> datetime:
    """The hour mark closest to `moment` (the earlier one at half past)."""
    below = floor_hour(moment)
    return below if moment - below <= HOUR / 2 else below + HOUR


def _hours_between(first: datetime, last: datetime) -> int:
    """Whole hours from one hour mark to a later one."""
    return int((last - first) / HOUR)


def _add(total: dict[str | None, int], counts: dict[str | None, int], sign: int) -> None:
    """Add (or take off) one part's counts."""
    for name, count in counts.items():
        total[name] = total.get(name, 0) + sign * count


def _rollup_rows(hours: Sequence[datetime], step: int):
    """(0, hour's index, NULL, topic set, complaints) for the rollup rows of those hours."""
    rollup = post_rollups.c
    complaints = rollup[rollup_negative_column(step)]
    slot = case(*[(rollup.hour == hour, index) for index, hour in enumerate(hours)], else_=-1)
    return (
        select(
            literal(0).label("source"),
            slot.label("slot"),
            type_coerce(null(), Integer).label("post_id"),
            rollup.topics.label("topics"),
            func.sum(complaints).label("amount"),
        )  # fmt: skip
        .where(rollup.hour.in_(list(hours)), complaints > 0)
        .group_by(rollup.hour, rollup.topics)
    )


def _piece_rows(pieces: Sequence[Window], threshold: float):
    """(1, piece's index, post id, topic or NULL, 1) per complaint and topic in the pieces."""
    # The posts of the pieces first, by their time index: left to itself, SQLite reads every
    # current score instead once there are thirty ranges or so.
    inside = (
        select(posts.c.id, window_index(pieces).label("slot"))
        .where(published_inside(pieces))
        .cte("in_pieces")
        .prefix_with("MATERIALIZED", dialect="sqlite")
    )
    scores = sentiment_scores.c
    return (
        select(
            literal(1).label("source"),
            inside.c.slot,
            inside.c.id,
            post_topics.c.topic,
            literal(1).label("amount"),
        )  # fmt: skip
        .select_from(
            inside.join(
                sentiment_scores, and_(scores.post_id == inside.c.id, scores.is_current)
            ).outerjoin(post_topics, post_topics.c.post_id == inside.c.id)
        )
        .where(scores.p_negative >= threshold)
    )


def _from_posts(
    connection: Connection, windows: Sequence[Window], threshold: float
) -> tuple[list[int], dict[str, list[int]]]:
    """The same counts read from the posts alone: each complaint once per topic it has."""
    topics: dict[str, list[int]] = {}
    joined, negative = negative_posts(threshold)
    query = (
        select(posts.c.id, window_index(windows), post_topics.c.topic)
        .select_from(joined.outerjoin(post_topics, post_topics.c.post_id == posts.c.id))
        .where(negative, published_inside(windows))
    )
    complaints: list[set[int]] = [set() for _ in windows]
    for post_id, bucket, topic in connection.execute(query):
        if bucket < 0:
            continue
        complaints[bucket].add(post_id)
        if topic is not None:
            topics.setdefault(topic, [0] * len(windows))[bucket] += 1
    return [len(ids) for ids in complaints], topics


def negative_posts(threshold: float):
    """Posts joined to their current score, and the condition that makes one a complaint."""
    joined = posts.join(
        sentiment_scores,
        and_(sentiment_scores.c.post_id == posts.c.id, sentiment_scores.c.is_current),
    )
    return joined, sentiment_scores.c.p_negative >= threshold


def window_index(windows: Sequence[Window]):
    """The index of the window a post's publication falls in (-1 for none)."""
    return case(
        *[
            (and_(posts.c.published_at >= start, posts.c.published_at < end), index)
            for index, (start, end) in enumerate(windows)
        ],
        else_=-1,
    ).label("bucket")


def published_inside(windows: Sequence[Window]):
    """Published inside one of the windows: an index range each, not the week between them."""
    return or_(
        *[and_(posts.c.published_at >= start, posts.c.published_at < end) for start, end in windows]
    )
