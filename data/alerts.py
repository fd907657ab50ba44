"""Alerts: evaluate the rules, keep one open alert per condition, close, acknowledge, snooze.

Hygiene, because alert fatigue is what makes people stop reading alerts:
- one open alert per dedupe key (a partial unique index holds it, even with two evaluators);
- a condition still true refreshes its open alert instead of raising another;
- a condition gone closes its alert; the same key may not fire again for `cooldown` after
  that (nor while a person has snoozed it);
- a spike that grows from one topic to the whole brand, or narrows back, stays one alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, text, type_coerce, update

from data.access import Actor, Refused, guarded
from data.alert_rules import (
    AlertSettings,
    Condition,
    case_conditions,
    new_topic_conditions,
    silent_conditions,
    spike_conditions,
    viral_conditions,
)
from data.engine import READ_ONLY, locked_row
from data.schema import UtcDateTime, alert_deliveries, alerts
from data.sla import SlaPolicy

__all__ = ["AlertRefused", "AlertSettings", "acknowledge_alert", "evaluate", "list_alerts"]

KINDS = ("spike", "overdue", "sla_warning", "viral", "silent_source", "new_topic")
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}
# Any constant works: it names the lock PostgreSQL evaluators take so they run one at a time.
ALERT_LOCK_KEY = 0x416C7274


class AlertRefused(Refused):
    """An alert action that is not allowed now; the message says why."""


def evaluate(
    engine: Engine,
    now: datetime,
    settings: AlertSettings,
    *,
    threshold: float,
    sla: SlaPolicy,
    silent_after: timedelta,
    routes: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[int]]:
    """Run every rule at `now`; open, refresh and close alerts; queue deliveries of new ones.

    `routes` maps an alert kind to the notification targets it goes to; a delivery row per
    target is written with the alert, in one transaction, so a crash never loses a message.
    Returns the ids of alerts opened, still open and closed.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ALERT_LOCK_KEY})
        open_rows = {row.dedupe_key: row for row in _open_alerts(connection)}
        spikes = spike_conditions(connection, settings, now, threshold)
        spikes += new_topic_conditions(connection, settings, now, threshold)
        conditions = _one_per_incident(spikes, open_rows)
        conditions += case_conditions(connection, now, sla)
        conditions += viral_conditions(connection, settings, now, threshold)
        conditions += silent_conditions(connection, now, silent_after)
        return _reconcile(connection, conditions, open_rows, now, settings.cooldown, routes or {})


def _open_alerts(connection: Connection) -> list[Any]:
    """Every alert not yet closed."""
    return list(connection.execute(select(alerts).where(alerts.c.closed_at.is_(None))))


def _one_per_incident(spikes: list[Condition], open_rows: Mapping[str, Any]) -> list[Condition]:
    """Fold spike and new-topic conditions that share a topic into one condition each.

    A condition joins an open spike/new-topic alert that shares one of its topics (so a
    topic spike that becomes a brand spike keeps its alert); a new topic that is also
    spiking is told inside the spike. The condition with the most complaints leads.
    """
    ranked = sorted(spikes, key=lambda c: (c.kind != "spike", -c.details.get("count", 0)))
    merged: dict[str, Condition] = {}
    for condition in ranked:
        topics = set(condition.details.get("spiking_topics", []))
        key = condition.key
        if key not in open_rows:
            for open_key, row in open_rows.items():
                shared = topics & set((row.details or {}).get("spiking_topics", []))
                if row.kind in ("spike", "new_topic") and shared:
                    key = open_key
                    break
        leader = merged.get(key) or next(
            (c for c in merged.values() if topics & set(c.details.get("spiking_topics", []))),
            None,
        )
        if leader is None:
            condition.key = key
            merged[key] = condition
            continue
        folded = leader.details.setdefault("spiking_topics", [])
        folded.extend(sorted(topics - set(folded)))
        if condition.kind == "new_topic":
            leader.details.setdefault("new_topics", []).append(condition.details["topic"])
    return list(merged.values())


def _suppressed(connection: Connection, key: str, now: datetime, cooldown: timedelta) -> bool:
    """Whether `key` closed less than `cooldown` ago or was snoozed past now."""
    closed, snoozed = connection.execute(
        select(
            type_coerce(func.max(alerts.c.closed_at), UtcDateTime()),
            type_coerce(func.max(alerts.c.snoozed_until), UtcDateTime()),
        ).where(alerts.c.dedupe_key == key)
    ).one()
    return bool((closed and now < closed + cooldown) or (snoozed and now < snoozed))


def _reconcile(
    connection: Connection,
    conditions: list[Condition],
    open_rows: Mapping[str, Any],
    now: datetime,
    cooldown: timedelta,
    routes: Mapping[str, Sequence[str]],
) -> dict[str, list[int]]:
    """Refresh open alerts still true, open new ones (past their cooldown), close the rest."""
    changes: dict[str, list[int]] = {"opened": [], "still_open": [], "closed": []}
    seen = set()
    refreshed = []
    for condition in conditions:
        seen.add(condition.key)
        values = {"title": condition.title, "details": condition.details, "last_seen_at": now}
        row = open_rows.get(condition.key)
        if row is not None:
            worse = SEVERITY_ORDER[condition.severity] < SEVERITY_ORDER.get(row.severity, 9)
            # Worse now: shown so, never milder.
            severity = condition.severity if worse else row.severity
            refreshed.append({"alert_id": row.id, "severity": severity, **values})
            changes["still_open"].append(row.id)
            continue
        if _suppressed(connection, condition.key, now, cooldown):
            continue
        insert = alerts.insert().values(
            kind=condition.kind,
            dedupe_key=condition.key,
            severity=condition.severity,
            status="open",
            opened_at=now,
            **values,
        )
        alert_id = connection.execute(insert.returning(alerts.c.id)).scalar_one()
        targets = list(dict.fromkeys(routes.get(condition.kind, ())))
        if targets:
            connection.execute(
                alert_deliveries.insert(),
                [{"alert_id": alert_id, "target": target, "status": "pending", "attempts": 0,
                  "created_at": now} for target in targets],
            )  # fmt: skip
        changes["opened"].append(alert_id)
    if refreshed:  # one executemany: a backlog keeps thousands of alerts open
        refresh = update(alerts).where(alerts.c.id == bindparam("alert_id"))
        connection.execute(refresh, refreshed)
    for key, row in open_rows.items():
        if key not in seen:
            connection.execute(
                update(alerts).where(alerts.c.id == row.id).values(status="closed", closed_at=now)
            )
            changes["closed"].append(row.id)
    return changes


def _alert_for_action(connection: Connection, alert_id: int) -> Any:
    """The alert, locked on PostgreSQL; refused when missing or closed."""
    row = locked_row(connection, alerts, alert_id)
    if row is None:
        raise AlertRefused(f"alert {alert_id} does not exist")
    if row.closed_at is not None:
        raise AlertRefused(f"alert {alert_id} is closed already (its condition cleared)")
    return row


@guarded("act_on_alerts")
def acknowledge_alert(engine: Engine, alert_id: int, actor: Actor, now: datetime) -> bool:
    """Mark an open alert as seen by `actor` (a lead); False when they had acknowledged it."""
    name = actor.name
    if not name.strip():
        raise AlertRefused("say who acknowledges the alert (a name)")
    with engine.begin() as connection:
        row = _alert_for_action(connection, alert_id)
        if row.acknowledged_by == name:
            return False
        if row.acknowledged_by:
            raise AlertRefused(f"alert {alert_id} was acknowledged by {row.acknowledged_by}")
        connection.execute(
            update(alerts)
            .where(alerts.c.id == alert_id)
            .values(status="acknowledged", acknowledged_by=name, acknowledged_at=now)
        )
    return True


@guarded("act_on_alerts")
def snooze_alert(
    engine: Engine, alert_id: int, actor: Actor, until: datetime, now: datetime
) -> None:
    """Hide an open alert until `until` (a lead); its condition may not fire again before."""
    name = actor.name
    if not name.strip():
        raise AlertRefused("say who snoozes the alert (a name)")
    if until <= now:
        raise AlertRefused("a snooze must end in the future")
    with engine.begin() as connection:
        _alert_for_action(connection, alert_id)
        connection.execute(
            update(alerts)
            .where(alerts.c.id == alert_id)
            .values(snoozed_by=name, snoozed_until=until)
        )


def list_alerts(
    engine: Engine,
    now: datetime,
    *,
    closed: bool = False,
    include_snoozed: bool = False,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Open alerts, worst first (or closed ones, newest first), each with its deliveries."""
    query = select(alerts)
    if closed:
        query = query.where(alerts.c.closed_at.is_not(None)).order_by(alerts.c.closed_at.desc())
    else:
        query = query.where(alerts.c.closed_at.is_(None)).order_by(alerts.c.opened_at.desc())
        if not include_snoozed:
            query = query.where(alerts.c.snoozed_until.is_(None) | (alerts.c.snoozed_until <= now))
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = [dict(row._mapping) for row in connection.execute(query.limit(limit))]
        ids = [row["id"] for row in rows]
        deliveries = connection.execute(
            select(alert_deliveries)
            .where(alert_deliveries.c.alert_id.in_(ids))
            .order_by(alert_deliveries.c.id)
        ).all()
    by_alert: dict[int, list[dict[str, Any]]] = {}
    for delivery in deliveries:
        by_alert.setdefault(delivery.alert_id, []).append(
            {"target": delivery.target, "status": delivery.status, "attempts": delivery.attempts,
             "last_error": delivery.last_error, "sent_at": delivery.sent_at}
        )  # fmt: skip
    for row in rows:
        row["deliveries"] = by_alert.get(row["id"], [])
    if not closed:
        rows.sort(key=lambda row: SEVERITY_ORDER.get(row["severity"], 9))
    return rows
