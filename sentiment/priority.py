"""Which complaint to answer first: negativity × reach × urgency against the SLA clock."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Priority:
    """A case's priority and the factors it is the product of (shown to explain the order)."""

    value: float
    negativity: float
    reach: float
    urgency: float


def priority(
    p_negative: float,
    score: int | None,
    comments: int | None,
    followers: int | None,
    hours_elapsed: float,
    sla_hours: float,
) -> Priority:
    """Negativity (P(negative)) × reach (1 + log10 of the audience) × urgency (1 to 3).

    Reach grows with the logarithm: a post seen by 10,000 matters more than one seen by 10,
    but not a thousand times more. Urgency rises from 1 to 2 as the SLA clock runs out and
    to 3 when it is twice overdue, so an old quiet complaint still climbs the queue.
    """
    audience = max(0, score or 0) + max(0, comments or 0) * 3 + max(0, followers or 0) / 100
    reach = 1 + math.log10(1 + audience)
    urgency = 1 + min(2.0, max(0.0, hours_elapsed) / sla_hours) if sla_hours > 0 else 1.0
    negativity = min(1.0, max(0.0, p_negative))
    return Priority(negativity * reach * urgency, negativity, reach, urgency)
