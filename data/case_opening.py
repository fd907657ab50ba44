"""Complaint cases opened for newly scored posts, with their SLA due time and channel."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from data.inserts import among, chunks, insert_ignoring_duplicates
from data.schema import cases, posts
from data.sla import SlaPolicy

if TYPE_CHECKING:
    from data.posts import ScoredPost


def open_cases(
    connection: Connection,
    scored: list[tuple[int, ScoredPost]],
    now: datetime,
    threshold: float,
    sla: SlaPolicy,
) -> None:
    """Open a case for every complaint candidate that has none yet, with its SLA due time.

    A post already past its due time when first collected (a backfill) is marked, so the
    SLA figures count it apart instead of as a failure of the team.
    """
    complaints = [(i, item) for i, item in scored if item.sentiment.is_complaint(threshold)]
    # A rescore spans sources, so each case's channel is read from its post.
    channels: dict[int, str] = {}
    for part in chunks([post_id for post_id, _ in complaints]):
        query = select(posts.c.id, posts.c.channel).where(among(connection, posts.c.id, part))
        channels.update((post_id, channel) for post_id, channel in connection.execute(query))
    rows = []
    for post_id, item in complaints:
        due_at = sla.due_at(item.post.published_at or now)
        rows.append(
            {"post_id": post_id, "channel": channels[post_id], "status": "new", "opened_at": now,
             "updated_at": now, "due_at": due_at, "backfill": due_at < now}
        )  # fmt: skip
    insert_ignoring_duplicates(connection, cases, rows)
