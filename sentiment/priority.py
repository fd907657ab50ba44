"""Which complaint to answer first: lanes by what a reply can still save, then priority.

The queue has four lanes, always in this order:

1. `answerable`: unanswered and still inside the SLA window — a reply now is on time;
2. `overdue`: past the deadline, but not for longer than `stale_after` — a late reply still
   helps the customer and everyone reading the thread;
3. `backfill`: already late when it was collected, or overdue for longer than `stale_after` —
   worth closing, never ahead of a case that can still be answered in time;
4. `answered`: a first public reply is on record (waiting to be resolved, or closed).

Inside a lane the priority is negativity × reach × urgency. Urgency rises from 1 to 3 as the
SLA clock runs toward the deadline; past it, it falls back with the time overdue (3 right at
the deadline, 1.5 one SLA later), so a complaint missed by two hours outranks one missed a
month ago. Backfill and answered cases carry no urgency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LANES = ("answerable", "overdue", "backfill", "answered")
LANE_ORDER = {lane: index for index, lane in enumerate(LANES)}
MAX_URGENCY = 3.0


@dataclass(frozen=True)
class Priority:
    """A case's priority and the factors it is the product of (shown to explain the order)."""

    value: float
    negativity: float
    reach: float
    urgency: float
    lane: str = "answerable"

    @property
    def sort_key(self) -> tuple[int, float]:
        """Ascending key: lane first, then the higher priority."""
        return LANE_ORDER[self.lane], -self.value


def reach_factor(score: int | None, comments: int | None, followers: int | None) -> float:
    """1 + log10 of the audience: 10,000 readers matter more than 10, not a thousand times."""
    audience = max(0, score or 0) + max(0, comments or 0) * 3 + max(0, followers or 0) / 100
    return 1 + math.log10(1 + audience)


def urgency_factor(
    lane: str, hours_elapsed: float, hours_overdue: float, sla_hours: float
) -> float:
    """1 to 3 while the SLA clock runs, falling back from 3 with the time overdue."""
    if sla_hours <= 0 or lane in ("backfill", "answered"):
        return 1.0
    if lane == "overdue":
        return MAX_URGENCY / (1 + max(0.0, hours_overdue) / sla_hours)
    return 1 + min(MAX_URGENCY - 1, 2 * max(0.0, hours_elapsed) / sla_hours)


def priority(
    p_negative: float,
    score: int | None,
    comments: int | None,
    followers: int | None,
    hours_elapsed: float,
    sla_hours: float,
    lane: str = "answerable",
    hours_overdue: float = 0.0,
) -> Priority:
    """Negativity (P(negative)) × reach × urgency, in its lane."""
    reach = reach_factor(score, comments, followers)
    urgency = urgency_factor(lane, hours_elapsed, hours_overdue, sla_hours)
    negativity = min(1.0, max(0.0, p_negative))
    return Priority(negativity * reach * urgency, negativity, reach, urgency, lane)
