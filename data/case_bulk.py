"""One action on many cases: each case moved in its own transaction, with its own event.

A bulk action never stops at the first refusal: every case the action does not allow is
reported with the reason, and every other case is moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from data.cases import (
    Actor,
    Refused,
    assign_case,
    claim_case,
    mark_not_a_complaint,
    release_case,
    resolve_case,
    snooze_case,
)

BULK_ACTIONS = ("claim", "release", "resolve", "not_a_complaint", "assign", "snooze")


@dataclass
class BulkOutcome:
    """The cases an action was applied to, and the reason for each it was refused on."""

    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def apply_to_cases(
    engine: Engine,
    action: str,
    case_ids: Iterable[int],
    actor: Actor,
    now: datetime,
    assignee: str = "",
    snooze_for: timedelta = timedelta(hours=4),
    note: str | None = None,
) -> BulkOutcome:
    """Apply `action` (one of BULK_ACTIONS) to each case; one audited event per case."""
    steps: dict[str, Callable[[int], object]] = {
        "claim": lambda case_id: claim_case(engine, case_id, actor, now),
        "release": lambda case_id: release_case(engine, case_id, actor, now),
        "resolve": lambda case_id: resolve_case(engine, case_id, actor, now),
        "not_a_complaint": lambda case_id: mark_not_a_complaint(engine, case_id, actor, now, note),
        "assign": lambda case_id: assign_case(engine, case_id, actor, assignee, now),
        "snooze": lambda case_id: snooze_case(engine, case_id, actor, now, now + snooze_for),
    }
    if action not in steps:
        raise ValueError(f"unknown bulk action {action!r} (known: {', '.join(BULK_ACTIONS)})")
    outcome = BulkOutcome()
    for case_id in dict.fromkeys(case_ids):  # each case once, in the order given
        try:
            steps[action](case_id)
        except Refused as refusal:
            outcome.refused[case_id] = str(refusal)
        else:
            outcome.done.append(case_id)
    return outcome
