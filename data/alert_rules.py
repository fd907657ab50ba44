"""Alert conditions true now: spike, overdue, SLA warning, viral, silent source, new topic.

Each rule returns `Condition`s; data.alerts turns them into alerts (one open per key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, select

from data.alert_explain import (
    baseline,
    explain,
    history_start,
    topic_totals,
    topics_seen,
    windows_for,
)
from data.inserts import among
from data.reports import OPEN_CASE_STATUSES, newest_posts
from data.schema import (
    WAITING_FOR_REPLY,
    cases,
    posts,
    reach_snapshots,
    sentiment_scores,
    sources,
)
from data.sla import SlaPolicy
from data.window_counts import window_counts

# A warning before the SLA runs out, while a reply can still make it.
SLA_WARNING_SHARE = 0.8
# Fewer earlier days than this and there is no baseline to judge a spike by.
MIN_BASELINE_DAYS = 3
MIN_BASELINE_WINDOWS = 3 * MIN_BASELINE_DAYS
# The oldest overdue cases a channel's grouped alert lists (the queue holds the rest).
OVERDUE_CASES_LISTED = 50


@dataclass(frozen=True)
class AlertSettings:
    """How alerts are judged: the window, the baseline, sensitivity, cooldown, virality."""

    window: timedelta = timedelta(hours=1)
    baseline_days: int = 7
    sensitivity: float = 3.0  # standard deviations above the baseline mean (1.5, 2 or 3)
    # Complaints above the usual number a window needs before it can be a spike: on topics
    # that see one or two complaints an hour, chance alone often passes the deviations.
    min_count: int = 5
    new_topic_min_count: int = 3
    cooldown: timedelta = timedelta(hours=2)
    viral_growth: float = 50.0  # reach (score + comments) gained per hour


@dataclass
class Condition:
    """Something alert-worthy true now; `key` names it across evaluations."""

    kind: str
    key: str
    severity: str
    title: str
    details: dict[str, Any] = field(default_factory=dict)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 text for JSON details."""
    return moment.isoformat() if moment else None


def spike_conditions(
    connection: Connection, settings: AlertSettings, now: datetime, threshold: float
) -> list[Condition]:
    """A brand spike (with its spiking topics folded in), else one alert per spiking topic."""
    windows = windows_for(now, settings.window, settings.baseline_days)
    oldest = history_start(connection)
    # Days before the first stored post are unknown, not quiet: they are left out.
    known = [i for i, (start, _) in enumerate(windows) if i > 0 and oldest and start >= oldest]
    if len(known) < MIN_BASELINE_WINDOWS:
        return []
    brand, topics = window_counts(connection, windows, threshold)

    def judged(counts: list[int]) -> dict[str, Any]:
        mean, spread = baseline([counts[i] for i in known])
        return {"count": counts[0], "baseline_mean": round(mean, 2),
                "sigma": round((counts[0] - mean) / spread, 2),
                "spiking": counts[0] >= mean + settings.min_count
                and counts[0] > mean + settings.sensitivity * spread}  # fmt: skip

    per_topic = {topic: judged(counts) for topic, counts in topics.items() if counts[0]}
    spiking = sorted((t for t, j in per_topic.items() if j["spiking"]),
                     key=lambda t: -per_topic[t]["count"])  # fmt: skip
    window = {"window_start": iso(windows[0][0]), "window_end": iso(windows[0][1]),
              "baseline_windows": len(known)}  # fmt: skip
    overall = judged(brand)
    topic_rows = sorted(
        ({"topic": topic, **figures} for topic, figures in per_topic.items()),
        key=lambda row: (-row["count"], row["topic"]),
    )
    if overall["spiking"]:
        details = {**window, **overall, "spiking_topics": spiking, "topics": topic_rows,
                   **explain(connection, windows, threshold)}  # fmt: skip
        title = f"{brand[0]} complaints in the last window vs ~{overall['baseline_mean']:g} usual"
        return [Condition("spike", "spike:brand", "critical", title, details)]
    return [
        Condition(
            "spike",
            f"spike:topic:{topic}",
            "warning",
            f"{per_topic[topic]['count']} {topic} complaints vs "
            f"~{per_topic[topic]['baseline_mean']:g} usual",
            {
                **window,
                **per_topic[topic],
                "spiking_topics": [topic],
                "topics": [{"topic": topic, **per_topic[topic]}],
                **explain(connection, windows, threshold, topic),
            },
        )  # fmt: skip
        for topic in spiking
    ]


def new_topic_conditions(
    connection: Connection, settings: AlertSettings, now: datetime, threshold: float
) -> list[Condition]:
    """Topics with complaints in the window and none in the whole baseline period before."""
    start = now - timedelta(days=settings.baseline_days) - settings.window
    oldest = history_start(connection)
    if oldest is None or oldest > start + timedelta(days=MIN_BASELINE_DAYS):
        return []
    current = topic_totals(connection, now - settings.window, now, threshold)
    candidates = [t for t, count in current.items() if count >= settings.new_topic_min_count]
    earlier = topics_seen(connection, candidates, start, now - settings.window, threshold)
    return [
        Condition(
            "new_topic",
            f"new_topic:{topic}",
            "warning",
            f"{count} complaints on {topic}, a topic unseen for {settings.baseline_days} days",
            {"topic": topic, "count": count, "spiking_topics": [topic]},
        )  # fmt: skip
        for topic, count in sorted(current.items())
        if count >= settings.new_topic_min_count and topic not in earlier
    ]


def case_conditions(connection: Connection, now: datetime, sla: SlaPolicy) -> list[Condition]:
    """One grouped alert per channel for its unanswered cases past their due time, and a
    warning of its own for each case past 80% of its SLA that can still make it.

    Grouped because a forgotten backlog would otherwise open one alert per case (thousands);
    backfilled cases were late before we saw them and raise nothing.
    """
    # `status || ''`: the status test is then no index lookup, so SQLite (which keeps no
    # statistics here) reads the small index of waiting cases, not every open status's.
    waiting = and_(cases.c.status.concat("").in_(OPEN_CASE_STATUSES), WAITING_FOR_REPLY,
                   cases.c.due_at.is_not(None))  # fmt: skip
    # Overdue, oldest first, as (id, channel) only, from the waiting cases' own index: the
    # channels' counts and the few cases each alert lists are picked here, and only those
    # are read whole.
    overdue: dict[str, list[int]] = {}
    for case_id, channel in connection.execute(
        select(cases.c.id, cases.c.channel)
        .where(waiting, cases.c.due_at <= now)
        .order_by(cases.c.due_at, cases.c.id)
    ):
        overdue.setdefault(channel, []).append(case_id)
    listed_ids = [i for ids in overdue.values() for i in ids[:OVERDUE_CASES_LISTED]]
    listed_rows = connection.execute(_case_rows(among(connection, cases.c.id, listed_ids)))
    listed = {row.id: _case_details(row) for row in listed_rows}
    found = [
        _overdue_in(channel, len(ids), [listed[i] for i in ids[:OVERDUE_CASES_LISTED]], now, sla)
        for channel, ids in sorted(overdue.items())
    ]
    # Not yet due: only the cases of the last SLA period (longer over closed business hours).
    for row in connection.execute(_case_rows(waiting, cases.c.due_at > now)):
        if sla.elapsed(row.published_at, now) >= SLA_WARNING_SHARE * sla.hours:
            title = f"case {row.id} due at {row.due_at:%H:%M} UTC, still unanswered"
            found.append(Condition("sla_warning", f"sla_warning:case:{row.id}", "warning", title,
                                   _case_details(row)))  # fmt: skip
    return found


def _case_rows(*where: Any) -> Any:
    """The query for unanswered cases with what an alert shows of their post, soonest due."""
    return (
        select(cases.c.id, cases.c.due_at, cases.c.assignee, cases.c.status, cases.c.channel,
               posts.c.published_at, posts.c.url, posts.c.title, posts.c.body)
        .join(posts, posts.c.id == cases.c.post_id)
        .where(*where)
        .order_by(cases.c.due_at, cases.c.id)
    )  # fmt: skip


def _case_details(row: Any) -> dict[str, Any]:
    """What an alert keeps of one case: its times, holder, channel, link and text."""
    return {"case_id": row.id, "due_at": iso(row.due_at), "published_at": iso(row.published_at),
            "assignee": row.assignee, "status": row.status, "channel": row.channel,
            "url": row.url, "text": f"{row.title} {row.body}".strip()[:200]}  # fmt: skip


def _overdue_in(
    channel: str, count: int, listed: list[dict[str, Any]], now: datetime, sla: SlaPolicy
) -> Condition:
    """The channel's overdue alert: how many, since when, and the oldest cases listed."""
    oldest = listed[0]
    waited = now - datetime.fromisoformat(oldest["published_at"])
    title = (f"{count} complaint{'s' if count != 1 else ''} on {channel} past the "
             f"{sla.hours:g}-hour target, oldest {_span(waited)}")  # fmt: skip
    details = {"channel": channel, "count": count, "oldest_due_at": oldest["due_at"],
               "oldest_published_at": oldest["published_at"], "cases": listed}  # fmt: skip
    return Condition("overdue", f"overdue:channel:{channel}", "critical", title, details)


def _span(waited: timedelta) -> str:
    """'3 days', '7 hours', '40 minutes': how long the oldest case has waited."""
    for unit, seconds in (("day", 86400), ("hour", 3600), ("minute", 60)):
        amount = int(waited.total_seconds() // seconds)
        if amount >= 1:
            return f"{amount} {unit}{'s' if amount != 1 else ''}"
    return "under a minute"


def viral_conditions(
    connection: Connection, settings: AlertSettings, now: datetime, threshold: float
) -> list[Condition]:
    """Complaints whose reach grew faster than `viral_growth` per hour over the last window."""
    reach = func.coalesce(reach_snapshots.c.score, 0) + func.coalesce(reach_snapshots.c.comments, 0)
    query = (
        select(reach_snapshots.c.post_id, (func.max(reach) - func.min(reach)).label("gained"),
               func.max(reach).label("reach"))
        .join(sentiment_scores, and_(sentiment_scores.c.post_id == reach_snapshots.c.post_id,
                                     sentiment_scores.c.is_current))
        .where(sentiment_scores.c.p_negative >= threshold,
               reach_snapshots.c.at >= now - settings.window, reach_snapshots.c.at <= now)
        .group_by(reach_snapshots.c.post_id)
        .having(func.count() >= 2)
    )  # fmt: skip
    hours = settings.window.total_seconds() / 3600
    grown = [
        row for row in connection.execute(query) if row.gained / hours >= settings.viral_growth
    ]
    found = []
    for row in grown:
        post = connection.execute(select(posts).where(posts.c.id == row.post_id)).one()
        # The case the complaint is worked in, so the alert can lead to it.
        case_id = connection.execute(
            select(cases.c.id).where(cases.c.post_id == row.post_id)
        ).scalar()
        per_hour = round(row.gained / hours, 1)
        found.append(Condition(
            "viral", f"viral:post:{row.post_id}", "critical",
            f"a complaint gaining {per_hour:g} reach per hour (now {row.reach})",
            {"post_id": row.post_id, "case_id": case_id, "reach": int(row.reach),
             "gained_per_hour": per_hour, "channel": post.channel, "url": post.url,
             "text": f"{post.title} {post.body}".strip()[:200]},
        ))  # fmt: skip
    return found


def silent_conditions(connection: Connection, now: datetime, silent_after: timedelta):
    """Sources that yielded posts before and none for longer than `silent_after` (only each
    source's newest post is read: the alert needs no counts)."""
    rows = list(connection.execute(select(sources).order_by(sources.c.name)))
    newest = newest_posts(connection, rows)
    quiet = [(row, last) for row in rows if (last := newest[row.id]) and now - last > silent_after]
    return [
        Condition(
            "silent_source",
            f"silent_source:{row.name}",
            "warning",
            f"source {row.name} has brought no new posts for over {silent_after}",
            {"source": row.name, "kind": row.kind, "last_new_post_at": iso(last)},
        )
        for row, last in quiet
    ]
