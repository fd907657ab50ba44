"""`among`: the rows an IN list picks, whatever the list holds (empty, long, times, text)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collectors.base import Post
from data import ScoredPost, SourceSpec, save_batch, sync_sources
from data.inserts import among
from data.schema import post_rollups, posts
from sentiment.record import from_probs
from tests.data.alert_history import NOW


def test_among_picks_what_an_in_list_picks(engine):
    source = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900)])["f"]
    items = [ScoredPost(Post(f"p{n}", f"text {n}", published_at=NOW - timedelta(hours=n % 30)),
                        "en", from_probs(0.2, 0.3, 0.5, "m")) for n in range(1200)]  # fmt: skip
    save_batch(engine, source.id, "forum", items, {}, now=NOW, threshold=0.5)
    with engine.connect() as connection:
        ids = list(connection.execute(select(posts.c.id).order_by(posts.c.id)).scalars())
        hours = list(connection.execute(select(post_rollups.c.hour)).scalars())
        cases = [
            (posts.c.id, ids[::2] + [10**9]),  # 600 of them and one that is not there
            (posts.c.external_id, ["p3", "p1199", "nobody"]),
            (post_rollups.c.hour, hours[:7]),
            (posts.c.id, []),
        ]
        for column, values in cases:
            query = select(column).select_from(column.table)
            picked = connection.execute(query.where(among(connection, column, values))).scalars()
            listed = connection.execute(query.where(column.in_(values))).scalars()
            assert sorted(picked) == sorted(listed)
        assert len(list(connection.execute(select(posts.c.id).where(
            among(connection, posts.c.id, ids[::2]))))) == 600  # fmt: skip
