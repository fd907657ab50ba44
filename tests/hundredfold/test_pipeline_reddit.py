"""Reddit end to end: praw against the fake Reddit API, through the pipeline, into storage."""

from __future__ import annotations

from sqlalchemy import func, select

from data import collection_stats, connect
from data.schema import posts, reach_snapshots, sources
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect
from tests.collectors.test_reddit import COMMENTS, SUBMISSIONS
from tests.reddit_server import CLIENT_ID, CLIENT_SECRET, QUERY, SUBREDDIT_NEW


def configure(database_url: str, server, monkeypatch, **extra):
    """A config with one Reddit source (its secret from the environment) and one feed."""
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", CLIENT_SECRET)
    reddit_source = {
        "kind": "reddit", "name": "reddit", "client_id": CLIENT_ID,
        "client_secret": {"env": "REDDIT_CLIENT_SECRET"}, "subreddits": ["AcmeSupport"],
        "search": [QUERY], "oauth_url": server.url, "reddit_url": server.url,
        "retry_wait": 0.001, "reach_window": 24 * 365 * 10.0, **extra,
    }  # fmt: skip
    return config_from_table({"database_url": database_url, "source": [reddit_source]})


def stored_ids(engine) -> set[str]:
    """External ids of every stored post."""
    with engine.connect() as connection:
        return set(connection.execute(select(posts.c.external_id)).scalars())


def test_every_post_and_comment_is_stored_once_with_reach(database_url, reddit, monkeypatch):
    config = configure(database_url, reddit, monkeypatch)
    engine = connect(database_url)
    [first] = collect(config, engine)
    assert first.status == "ok", first.error
    assert stored_ids(engine) == SUBMISSIONS | COMMENTS
    [second] = collect(config, engine)
    assert (second.status, second.counts.posts_new) == ("ok", 0)
    assert stored_ids(engine) == SUBMISSIONS | COMMENTS
    stats = collection_stats(engine, config.negative_threshold)
    assert stats["posts_by_channel"] == {"social": len(SUBMISSIONS | COMMENTS)}
    [health] = stats["sources"]
    assert health["rate_limit"]["remaining"] >= 0
    with engine.connect() as connection:
        snapshots = connection.execute(select(func.count()).select_from(reach_snapshots))
        assert snapshots.scalar_one() >= len(SUBMISSIONS)


def test_a_429_keeps_what_was_read_and_marks_the_source_with_its_wait(
    database_url, reddit, monkeypatch
):
    reddit.fail(SUBREDDIT_NEW, 429, skip=1, retry_after=42, x_ratelimit_remaining=0,
                x_ratelimit_used=100, x_ratelimit_reset=42)  # fmt: skip
    config = configure(database_url, reddit, monkeypatch)
    engine = connect(database_url)
    [outcome] = collect(config, engine)
    assert outcome.status == "warning"
    assert any("42" in warning for warning in outcome.warnings)
    assert outcome.counts.posts_new > 0
    stats = collection_stats(engine, config.negative_threshold)
    assert stats["sources_with_errors"] == []
    [warning] = stats["sources_with_warnings"]
    assert "retry after" in warning["message"].lower() or "42" in warning["message"]
    with engine.connect() as connection:
        row = connection.execute(select(sources.c.last_run_at, sources.c.next_due_at)).one()
    assert (row.next_due_at - row.last_run_at).total_seconds() >= 900
