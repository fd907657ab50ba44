"""The outbox of alert notifications: what is still to send, and how each attempt went.

A delivery row is written with its alert (data.alerts.evaluate); it stays `pending` until a
send succeeds, so a receiver that is down only delays the message. After `give_up_after`
failed attempts it is marked `failed`, still kept, with its last error, for a person to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update

from data.engine import READ_ONLY
from data.schema import alert_deliveries, alerts
from hundredfold.redaction import redact


@dataclass(frozen=True)
class PendingDelivery:
    """One message to send: the delivery row's id, the target's name and the alert."""

    id: int
    target: str
    attempts: int
    alert: dict[str, Any]


def pending_deliveries(engine: Engine, limit: int = 200) -> list[PendingDelivery]:
    """Deliveries not yet sent, oldest first, with their alert."""
    query = (
        select(alert_deliveries.c.id, alert_deliveries.c.target, alert_deliveries.c.attempts,
               alerts)
        .join(alerts, alerts.c.id == alert_deliveries.c.alert_id)
        .where(alert_deliveries.c.status == "pending")
        .order_by(alert_deliveries.c.id)
        .limit(limit)
    )  # fmt: skip
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(query).all()
    found = []
    for row in rows:
        alert = {
            key: getattr(row, key)
            for key in ("kind", "dedupe_key", "severity", "status", "title", "details", "opened_at")
        }
        alert["id"] = row._mapping[alerts.c.id]
        found.append(PendingDelivery(row._mapping[alert_deliveries.c.id], row.target,
                                     row.attempts, alert))  # fmt: skip
    return found


def record_attempts(
    engine: Engine,
    delivery_id: int,
    now: datetime,
    attempts: int,
    error: str | None,
    give_up_after: int,
) -> str:
    """Record `attempts` more tries of a delivery, sent when `error` is None; returns its status."""
    error = None if error is None else redact(error)  # it is shown on the Alerts page and JSON
    with engine.begin() as connection:
        row = connection.execute(
            select(alert_deliveries.c.attempts).where(alert_deliveries.c.id == delivery_id)
        ).one()
        total = row.attempts + attempts
        status = "sent" if error is None else ("failed" if total >= give_up_after else "pending")
        connection.execute(
            update(alert_deliveries)
            .where(alert_deliveries.c.id == delivery_id, alert_deliveries.c.status == "pending")
            .values(status=status, attempts=total, last_error=error, last_attempt_at=now,
                    sent_at=now if error is None else None)
        )  # fmt: skip
    return status
