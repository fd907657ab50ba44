"""Manager corrections as training rows: the latest label a person gave each post."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select

from data.access import Actor, guarded
from data.cases import TransitionRefused
from data.engine import READ_ONLY
from data.schema import corrections, posts

LABEL_NUMBERS = {"negative": 0, "neutral": 1, "positive": 2}
LABELS = tuple(LABEL_NUMBERS)


def corrections_for_training(engine: Engine) -> list[tuple[str, str, int]]:
    """(language, text, label 0/1/2) for every corrected post, its latest correction winning."""
    latest = (
        select(corrections.c.post_id, func.max(corrections.c.id).label("id"))
        .group_by(corrections.c.post_id)
        .subquery()
    )
    query = (
        select(posts.c.language, posts.c.title, posts.c.body, corrections.c.label)
        .join(latest, latest.c.id == corrections.c.id)
        .join(posts, posts.c.id == corrections.c.post_id)
        .order_by(corrections.c.id)
    )
    with engine.connect().execution_options(**READ_ONLY) as connection:
        rows = connection.execute(query).all()
    return [
        (language, f"{title}\n{body}".strip() if title else body, LABEL_NUMBERS[label])
        for language, title, body, label in rows
        if label in LABEL_NUMBERS
    ]


@guarded("work_cases")
def correct_label(
    engine: Engine, post_id: int, actor: Actor, label: str, now: datetime, reason: str = ""
) -> None:
    """Store a manager's relabel of a post, for training with corrections."""
    if label not in LABELS:
        raise TransitionRefused(f"label must be one of {', '.join(LABELS)}, got {label!r}")
    with engine.begin() as connection:
        connection.execute(
            corrections.insert().values(
                post_id=post_id, actor=actor.name, at=now, label=label, reason=reason or None
            )
        )
