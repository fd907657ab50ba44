"""Team figures: time to first reply, share within the SLA, resolution rate, by manager/channel."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, case, false, func, select

from data.engine import READ_ONLY
from data.schema import cases, posts
from data.sla import SlaPolicy

FIGURE_COLUMNS = [
    "cases", "replied", "reply_hours_median", "reply_hours_p90", "within_sla_share",
    "resolution_rate", "backfill",
]  # fmt: skip


def _in_period(query, start: datetime | None, end: datetime | None):
    """The query narrowed to cases opened in [start, end)."""
    if start is not None:
        query = query.where(cases.c.opened_at >= start)
    if end is not None:
        query = query.where(cases.c.opened_at < end)
    return query


def case_timings(
    engine: Engine, start: datetime | None, end: datetime | None, sla: SlaPolicy
) -> pd.DataFrame:
    """One row per case opened in [start, end): who, channel, hours to reply, within SLA."""
    query = select(
        cases.c.id, cases.c.status, cases.c.assignee, cases.c.backfill, cases.c.first_reply_at,
        cases.c.reply_hours, posts.c.published_at, posts.c.channel,
    ).join(posts, posts.c.id == cases.c.post_id)  # fmt: skip
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(_in_period(query, start, end)).all()
    frame = pd.DataFrame(
        rows,
        columns=["case_id", "status", "assignee", "backfill", "first_reply_at", "reply_hours",
                 "published_at", "channel"],
    )  # fmt: skip
    frame["within_sla"] = pd.to_numeric(frame["reply_hours"]).le(sla.hours)  # unreplied: False
    return frame


def reply_figures(
    engine: Engine, start: datetime | None, end: datetime | None, sla_hours: float
) -> dict[str, float | None]:
    """Share of complaints opened in [start, end) answered within the SLA (backfills apart)
    and the median hours to first reply, as SQL aggregates over the covering index."""
    judged = _in_period(
        select(
            func.count(),
            func.sum(case((cases.c.reply_hours <= sla_hours, 1), else_=0)),
        ).where(cases.c.backfill.is_(false())),
        start,
        end,
    )
    replied = _in_period(
        select(cases.c.reply_hours).where(cases.c.reply_hours.is_not(None)), start, end
    )
    with engine.connect().execution_options(**READ_ONLY) as connection:
        total, within = connection.execute(judged).one()
        count = connection.execute(select(func.count()).select_from(replied.subquery())).scalar()
        values: list[float] = []
        if count:  # the median: the one or two middle values, found by the database's sort
            middle = replied.order_by(cases.c.reply_hours).offset((count - 1) // 2)
            values = list(connection.execute(middle.limit(2 - count % 2)).scalars())
    return {
        "within_sla_share": (within or 0) / total if total else None,
        "reply_hours_median": sum(values) / len(values) if values else None,
    }


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
