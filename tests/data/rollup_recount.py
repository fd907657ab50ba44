"""Reading the hourly rollups, and checking them against a full recount of the posts."""

from __future__ import annotations

from sqlalchemy import select

from data.rollups import rebuild_rollups
from data.schema import channel_rollups, post_rollups


def rollup_rows(engine, table=post_rollups) -> list[tuple]:
    """Every row of a rollup, in key order."""
    with engine.connect() as connection:
        query = select(table).order_by(*table.primary_key.columns)
        return [tuple(row) for row in connection.execute(query)]


def assert_rollups_equal_a_recount(engine) -> None:
    """Both rollups hold exactly what rebuilding them from the posts gives."""
    kept = [rollup_rows(engine, table) for table in (post_rollups, channel_rollups)]
    with engine.begin() as connection:
        rebuild_rollups(connection)
    assert [rollup_rows(engine, table) for table in (post_rollups, channel_rollups)] == kept
