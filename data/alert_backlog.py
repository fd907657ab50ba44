"""The support lead's backlog: unanswered open cases by how long they have waited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data.engine import READ_ONLY
from data.reports import OPEN_CASE_STATUSES
from data.schema import cases, posts

# Upper bounds of the age bands, in hours; the last band is everything older.
AGE_BANDS = (("<1h", 1), ("1-6h", 6), ("6-24h", 24), ("1-3d", 72), (">3d", None))


def backlog_by_age(engine: Engine, now: datetime) -> pd.DataFrame:
    """Open unanswered cases per age band (since publication), backfills apart; in SQL."""
    band = case(
        *[
            (posts.c.published_at > now - timedelta(hours=hours), name)
            for name, hours in AGE_BANDS
            if hours is not None
        ],
        else_=AGE_BANDS[-1][0],
    ).label("band")
    query = (
        select(band, cases.c.backfill, func.count())
        .join(posts, posts.c.id == cases.c.post_id)
        .where(cases.c.status.in_(OPEN_CASE_STATUSES), cases.c.first_reply_at.is_(None))
        .group_by(band, cases.c.backfill)
    )
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(query).all()
    counts = {(name, bool(backfill)): int(count) for name, backfill, count in rows}
    return pd.DataFrame(
        [
            {"band": name, "cases": counts.get((name, False), 0),
             "backfill": counts.get((name, True), 0)}
            for name, _ in AGE_BANDS
        ]
    )  # fmt: skip
