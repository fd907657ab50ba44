"""Dates no post can have: before 1990 or more than a day after it was collected.

A source's clock can be wrong, a field mislabelled, an export hostile. A date like 9999-12-31
would overflow the SLA clock and the hourly rollup; one in 2100 would open a case due in 2100.
Such a post is stored as collected now, its date kept as given, with a warning on the source.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from collectors.base import Post

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=1)  # clocks and time zones differ; a day more is a wrong date


def sane_dates(posts: list[Post], now: datetime) -> tuple[list[Post], dict[str, str], list[str]]:
    """(posts with each out-of-window date removed, external id -> the date as given, warnings).

    A post without its date is stored at the collection time, as one whose source gives none.
    """
    latest = now + AHEAD
    kept: list[Post] = []
    given: dict[str, str] = {}
    warnings: list[str] = []
    for post in posts:
        moment = post.published_at
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # collectors hand over UTC; a naive one is too
        if moment is None or EARLIEST <= moment <= latest:
            kept.append(post)
            continue
        given[post.external_id] = moment.isoformat()
        warnings.append(
            f"post {post.external_id[:80]}: date {moment.isoformat()} is outside "
            f"{EARLIEST:%Y-%m-%d}..now+1d, stored as collected"
        )
        kept.append(dataclasses.replace(post, published_at=None))
    return kept, given, warnings
