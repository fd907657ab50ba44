"""Deleting posts for good: those older than the retention period, or one person's on request.

Everything hanging off a post goes with it, one bounded chunk of posts per transaction: a
long purge never holds the write lock for long, and one killed mid-way leaves every chunk
either fully deleted or untouched (the next run finishes the rest). The rollup rows of the
touched hours are recounted in the same transaction, by the code that keeps them as posts
are stored, so the Overview's figures always equal the posts that remain.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Engine, Row, Table, delete, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from data.engine import READ_ONLY
from data.inserts import among
from data.posts import CHUNK, chunks
from data.rollup_deltas import apply_delta, contributions
from data.schema import (
    alerts,
    case_events,
    cases,
    corrections,
    post_history,
    post_topics,
    posts,
    reach_snapshots,
    sentiment_scores,
    sources,
)
from data.schema_replies import reply_sends

# Alerts about one case or one post, keyed "<kind>:case:<id>" / "<kind>:post:<id>" by
# data.alert_rules; their details copy the post's text and link.
CASE_ALERT_KINDS = ("overdue", "sla_warning")
POST_ALERT_KINDS = ("viral",)
# Alerts whose details list the posts that explain them (`top_posts`, each with its text),
# or the cases behind them (a channel's grouped overdue alert: `cases`).
EXPLAINED_ALERT_KINDS = ("spike", "new_topic", "overdue")


@dataclass
class Erased:
    """What a purge or an erasure deleted (alerts are kept, their references cleared)."""

    posts: int = 0
    edits: int = 0  # earlier texts of edited posts
    cases: int = 0
    case_events: int = 0
    corrections: int = 0
    reply_sends: int = 0
    alerts_cleared: int = 0

    def add(self, other: Erased) -> None:
        """Accumulate another chunk's counts."""
        for name in self.as_dict():
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        """The counts by name, JSON-ready."""
        return asdict(self)

    def summary(self) -> str:
        """One line: "3 posts, 0 edits, 2 cases, 5 case events, ..."."""
        counts = self.as_dict()
        return ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())


class UnknownSource(LookupError):
    """No stored source has this name; the message lists the names there are."""


def purge_published_before(engine: Engine, cutoff: datetime, chunk: int = CHUNK) -> Erased:
    """Delete every post published before `cutoff`, oldest first, with all that hangs off it."""
    old = posts.c.published_at < cutoff  # ix_posts_published_at: cheap when nothing is old
    return _erase(engine, old, (posts.c.published_at, posts.c.id), chunk)


def source_id_named(engine: Engine, name: str) -> int:
    """The id of the stored source called `name`; UnknownSource when there is none."""
    with engine.connect().execution_options(**READ_ONLY) as connection:
        found = {
            name: id_ for name, id_ in connection.execute(select(sources.c.name, sources.c.id))
        }
    if name not in found:
        known = ", ".join(sorted(found)) or "none yet"
        raise UnknownSource(f"no source named {name!r} (sources: {known})")
    return found[name]


def count_author_posts(engine: Engine, source: str, author: str) -> int:
    """How many posts `author` (exactly as stored) has in the source named `source`."""
    source_id = source_id_named(engine, source)
    with engine.connect().execution_options(**READ_ONLY) as connection:
        query = select(func.count()).where(posts.c.source_id == source_id, posts.c.author == author)
        return int(connection.execute(query).scalar_one())


def erase_author(engine: Engine, source: str, author: str, chunk: int = CHUNK) -> Erased:
    """Delete every post by `author` (exactly as stored) in the source named `source`."""
    source_id = source_id_named(engine, source)
    theirs = (posts.c.source_id == source_id) & (posts.c.author == author)
    return _erase(engine, theirs, (posts.c.id,), chunk)


def erase_source_posts(engine: Engine, source: str, chunk: int = CHUNK) -> Erased:
    """Delete every post of the source named `source` (the ingest bench's, after timing)."""
    return _erase(
        engine, posts.c.source_id == source_id_named(engine, source), (posts.c.id,), chunk
    )


def _erase(
    engine: Engine, condition: ColumnElement[bool], order: Sequence[Column], chunk: int
) -> Erased:
    """Delete the posts matching `condition`, `chunk` posts per transaction."""
    total = Erased()
    while True:
        with engine.begin() as connection:
            query = select(posts.c.id, posts.c.published_at).where(condition)
            rows = connection.execute(query.order_by(*order).limit(chunk)).all()
            if rows:
                total.add(_erase_posts(connection, rows))
        if len(rows) < chunk:
            return total


def _erase_posts(connection: Connection, rows: Sequence[Row]) -> Erased:
    """Delete these posts, their cases and every row that refers to either; recount their hours."""
    post_ids = [row.id for row in rows]
    counted = contributions(connection, post_ids)  # what they count for in the rollups
    theirs = select(cases.c.id).where(among(connection, cases.c.post_id, post_ids))
    case_ids: list[int] = list(connection.execute(theirs).scalars())
    # Children first: SQLite enforces the foreign keys too, and a migrated table's ON DELETE
    # clause is not relied on.
    erased = Erased(
        alerts_cleared=_clear_alert_references(connection, set(post_ids), set(case_ids)),
        reply_sends=_delete(connection, reply_sends, reply_sends.c.case_id, case_ids),
        case_events=_delete(connection, case_events, case_events.c.case_id, case_ids),
        cases=_delete(connection, cases, cases.c.id, case_ids),
        corrections=_delete(connection, corrections, corrections.c.post_id, post_ids),
        edits=_delete(connection, post_history, post_history.c.post_id, post_ids),
    )
    for table in (reach_snapshots, post_topics, sentiment_scores):
        _delete(connection, table, table.c.post_id, post_ids)
    erased.posts = _delete(connection, posts, posts.c.id, post_ids)
    apply_delta(connection, counted, {})
    return erased


def _delete(connection: Connection, table: Table, key: Column, ids: Collection[int]) -> int:
    """Delete the rows of `table` whose `key` is one of `ids`; how many went."""
    if not ids:
        return 0
    return connection.execute(delete(table).where(among(connection, key, list(ids)))).rowcount


def _clear_alert_references(connection: Connection, post_ids: set[int], case_ids: set[int]) -> int:
    """Keep alerts as the record of what happened, but drop what they copied of these posts
    and cases (the reference, text and link); how many alerts changed."""
    keys = [f"{kind}:case:{case_id}" for kind in CASE_ALERT_KINDS for case_id in case_ids]
    keys += [f"{kind}:post:{post_id}" for kind in POST_ALERT_KINDS for post_id in post_ids]
    found: list[Row] = []
    for part in chunks(keys):
        named = among(connection, alerts.c.dedupe_key, part)
        query = select(alerts.c.id, alerts.c.details).where(named)
        found += connection.execute(query).all()
    # Few alerts explain themselves with posts (one per incident), so all are looked at: a
    # post's time says little about which alert named it, as an edit may move it.
    explained = select(alerts.c.id, alerts.c.details).where(
        alerts.c.kind.in_(EXPLAINED_ALERT_KINDS)
    )
    found += connection.execute(explained).all()
    changed = 0
    for alert_id, details in found:
        cleared = _without(details, post_ids, case_ids) if details else details
        if cleared != details:
            connection.execute(
                update(alerts).where(alerts.c.id == alert_id).values(details=cleared)
            )
            changed += 1
    return changed


def _without(details: dict[str, Any], post_ids: set[int], case_ids: set[int]) -> dict[str, Any]:
    """An alert's details without the deleted posts and cases (the reference kept, as null)."""
    cleared = dict(details)
    for key, gone in (("case_id", case_ids), ("post_id", post_ids)):
        if cleared.get(key) in gone:
            cleared[key] = None
            cleared.pop("text", None)
            cleared.pop("url", None)
    if "top_posts" in cleared:
        kept = [post for post in cleared["top_posts"] if post.get("post_id") not in post_ids]
        cleared["top_posts"] = kept
    if "cases" in cleared:
        cleared["cases"] = [c for c in cleared["cases"] if c.get("case_id") not in case_ids]
    return cleared
