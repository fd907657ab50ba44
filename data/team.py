"""Team figures: time to first reply, share within the SLA, resolution rate, by manager/channel."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, select

from data.engine import READ_ONLY
from data.schema import cases, posts
from data.sla import SlaPolicy

FIGURE_COLUMNS = [
    "cases", "replied", "reply_hours_median", "reply_hours_p90", "within_sla_share",
    "resolution_rate", "backfill",
]  # fmt: skip


def case_timings(
    engine: Engine, start: datetime | None, end: datetime | None, sla: SlaPolicy
) -> pd.DataFrame:
    """One row per case opened in [start, end): who, channel, hours to reply, within SLA."""
    query = select(
        cases.c.id, cases.c.status, cases.c.assignee, cases.c.backfill, cases.c.first_reply_at,
        posts.c.published_at, posts.c.channel,
    ).join(posts, posts.c.id == cases.c.post_id)  # fmt: skip
    if start is not None:
        query = query.where(cases.c.opened_at >= start)
    if end is not None:
        query = query.where(cases.c.opened_at < end)
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(
        rows,
        columns=["case_id", "status", "assignee", "backfill", "first_reply_at",
                 "published_at", "channel"],
    )  # fmt: skip
    frame["reply_hours"] = [
        sla.elapsed(published, replied) if replied is not None else None
        for published, replied in zip(frame["published_at"], frame["first_reply_at"], strict=True)
    ]
    frame["within_sla"] = [
        hours is not None and hours <= sla.hours for hours in frame["reply_hours"]
    ]
    return frame


def team_figures(timings: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The figures for all cases (by=None) or per `assignee` / `channel`.

    Backfilled cases (already late when collected) are counted apart: they are in `backfill`
    but not in the SLA share, which judges only what the team could still answer in time.
    """
    groups = [("all", timings)] if by is None else list(timings.groupby(by, dropna=False))
    rows = []
    for key, group in groups:
        judged = group[~group["backfill"].astype(bool)]
        hours = pd.to_numeric(group["reply_hours"], errors="coerce").dropna()
        rows.append({
            by or "scope": key if key == key else None,
            "cases": len(group),
            "replied": int(group["first_reply_at"].notna().sum()),
            "reply_hours_median": float(hours.median()) if len(hours) else None,
            "reply_hours_p90": float(hours.quantile(0.9)) if len(hours) else None,
            "within_sla_share": float(judged["within_sla"].mean()) if len(judged) else None,
            "resolution_rate": (
                float((group["status"] == "resolved").mean()) if len(group) else None
            ),
            "backfill": int(group["backfill"].astype(bool).sum()),
        })  # fmt: skip
    return pd.DataFrame(rows)
