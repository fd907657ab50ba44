"""The collection run end to end: real feeds on a local server into a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from data import collection_stats, connect
from data.schema import cases, post_history, posts, sentiment_scores
from hundredfold.config import ConfigError, config_from_table
from hundredfold.pipeline import collect

FORUM = "rss2_forum_html_bodies.xml"


def configure(database_url: str, sources: list[dict], **settings):
    """A Config from tables, as a hundredfold.toml would give."""
    return config_from_table({"database_url": database_url, "source": sources, **settings})


def rss(name: str, url: str, **fields) -> dict:
    """An rss [[source]] table (retrying without waiting)."""
    return {"kind": "rss", "name": name, "url": url, "retry_wait": 0.0, **fields}


def stored_bodies(engine) -> list[str]:
    """Bodies of every stored post."""
    with engine.connect() as connection:
        return connection.execute(select(posts.c.body).order_by(posts.c.id)).scalars().all()


def count(engine, table) -> int:
    """Rows in a table."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_feed_is_collected_and_a_second_run_is_answered_304_and_adds_nothing(
    database_url, feed_server, fixture_path
):
    url = feed_server.route("/forum.xml", fixture_path(FORUM).read_bytes(), etag='"v1"')
    config = configure(database_url, [rss("forum", url)])
    engine = connect(database_url)
    [first] = collect(config, engine)
    [second] = collect(config, engine)
    assert (first.status, first.counts.posts_new) == ("ok", 3)
    assert (second.status, second.counts.posts_new, second.counts.posts_seen) == ("ok", 0, 0)
    conditional = feed_server.requests_to("/forum.xml")[1]
    assert conditional.headers["if-none-match"] == '"v1"'
    assert count(engine, posts) == 3


def test_forum_html_is_stored_once_as_readable_text_with_the_raw_html_beside_it(
    database_url, feed_server, fixture_path
):
    url = feed_server.route("/forum.xml", fixture_path(FORUM).read_bytes())  # no validators
    config = configure(database_url, [rss("forum", url)])
    engine = connect(database_url)
    collect(config, engine)
    collect(config, engine)
    body = stored_bodies(engine)[0]
    assert body == (
        "My refund is two weeks late & support won't answer.\n"
        "Order #8812\nPaid on 12 April\nTracking says “returned”.\n"
        "See the refund policy thread — it says 7 days."
    )
    assert count(engine, posts) == 3
    with engine.connect() as connection:
        raw = connection.execute(select(posts.c.body_html).order_by(posts.c.id)).scalars().first()
    assert "<script>" in raw


def test_dead_and_malformed_sources_are_listed_and_stop_nothing(
    database_url, feed_server, fixture_path
):
    good = feed_server.route("/forum.xml", fixture_path(FORUM).read_bytes())
    dead = feed_server.route("/dead.xml", "oops", status=500)
    broken = feed_server.route(
        "/broken.xml", fixture_path("malformed_unclosed_item.xml").read_bytes()
    )
    config = configure(database_url, [rss("dead", dead), rss("broken", broken), rss("good", good)])
    engine = connect(database_url)
    outcomes = {outcome.name: outcome for outcome in collect(config, engine)}
    assert outcomes["good"].status == "ok"
    assert outcomes["dead"].status == "error"
    assert outcomes["broken"].status == "warning" and outcomes["broken"].counts.posts_new >= 1
    stats = collection_stats(engine, config.negative_threshold)
    assert [(e["name"], e["kind"]) for e in stats["sources_with_errors"]] == [("dead", "rss")]
    assert "HTTP 500" in stats["sources_with_errors"][0]["message"]
    assert stats["sources_with_errors"][0]["at"]
    [warning] = stats["sources_with_warnings"]
    assert warning["name"] == "broken" and warning["message"].startswith("malformed feed")
    assert stats["posts_by_source_kind"] == {"rss": count(engine, posts)}


def test_a_source_that_recovers_is_no_longer_listed_as_failing(
    database_url, feed_server, fixture_path
):
    url = feed_server.route("/flaky.xml", "down", status=503)
    config = configure(database_url, [rss("flaky", url)])
    engine = connect(database_url)
    collect(config, engine)
    feed_server.route("/flaky.xml", fixture_path(FORUM).read_bytes())
    collect(config, engine)
    stats = collection_stats(engine, config.negative_threshold)
    assert stats["sources_with_errors"] == []
    assert stats["posts"] == 3


def test_posts_not_about_the_brand_are_dropped(database_url, feed_server, fixture_path):
    url = feed_server.route("/forum.xml", fixture_path(FORUM).read_bytes())
    config = configure(database_url, [rss("forum", url)], brand_terms=["refund"])
    [outcome] = collect(config, connect(database_url))
    assert (outcome.counts.posts_new, outcome.posts_dropped) == (1, 2)


def test_an_edited_post_is_updated_in_place_and_rescored(database_url, feed_server):
    def feed(text: str) -> str:
        return (
            "<rss version='2.0'><channel><title>t</title><item><guid>p-1</guid>"
            f"<title>Kettle</title><description>{text}</description></item></channel></rss>"
        )

    url = feed_server.route("/edit.xml", feed("Love this kettle, works great!"))
    config = configure(database_url, [rss("forum", url)])
    engine = connect(database_url)
    collect(config, engine)
    assert count(engine, cases) == 0
    feed_server.route("/edit.xml", feed("Update: it broke after a week. Terrible, want a refund."))
    [outcome] = collect(config, engine)
    assert outcome.counts.posts_updated == 1
    assert stored_bodies(engine) == ["Update: it broke after a week. Terrible, want a refund."]
    assert count(engine, post_history) == 1
    with engine.connect() as connection:
        current = (
            connection.execute(
                select(sentiment_scores.c.label).where(sentiment_scores.c.is_current)
            )
            .scalars()
            .all()
        )
    assert current == ["negative"]
    assert count(engine, cases) == 1


def test_only_due_sources_run_unless_asked_for_all(database_url, feed_server, fixture_path):
    url = feed_server.route("/forum.xml", fixture_path(FORUM).read_bytes())
    config = configure(database_url, [rss("forum", url, every="1h")])
    engine = connect(database_url)
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert len(collect(config, engine, due_only=True, now=lambda: start)) == 1
    half_hour = start + timedelta(minutes=30)
    assert collect(config, engine, due_only=True, now=lambda: half_hour) == []
    assert len(collect(config, engine, due_only=False, now=lambda: half_hour)) == 1
    later = start + timedelta(hours=2)
    assert len(collect(config, engine, due_only=True, now=lambda: later)) == 1


def test_file_export_with_bad_rows_keeps_the_good_ones(database_url, fixture_path):
    source = {
        "kind": "file",
        "name": "jd",
        "path": str(fixture_path("jd_export_bad_rows.csv")),
        "columns": {
            "id": "评论ID",
            "text": "评价内容",
            "published_at": "评价时间",
            "rating": "评分",
            "author": "用户昵称",
        },
    }
    config = configure(database_url, [source])
    engine = connect(database_url)
    [first] = collect(config, engine)
    [again] = collect(config, engine)
    assert first.status == "warning" and first.counts.posts_new > 0
    assert any(warning.startswith("line ") for warning in first.warnings)
    assert (again.counts.posts_new, again.warnings) == (0, [])
    stats = collection_stats(engine, config.negative_threshold)
    assert stats["posts_by_channel"] == {"review": first.counts.posts_new}


def test_the_model_setting_chooses_the_analyser_per_source(database_url, feed_server, fixture_path):
    url = feed_server.route("/forum.xml", fixture_path(FORUM).read_bytes())
    forum = rss("forum", url)
    social = rss("social", url, model="default")
    config = configure(database_url, [forum, social], model="fast")
    assert (config.model, [s.model for s in config.sources]) == ("fast", [None, "default"])
    engine = connect(database_url)
    collect(config, engine)
    with engine.connect() as connection:
        rows = connection.execute(
            select(posts.c.source_id, sentiment_scores.c.model)
            .join(sentiment_scores, sentiment_scores.c.post_id == posts.c.id)
            .distinct()
        ).all()
    models = {model for _, model in rows}
    assert len({source for source, _ in rows}) == 2 and len(models) == 2
    assert any(model.startswith("hundredfold-fast") for model in models)
    engine.dispose()


def test_an_unknown_model_is_named_with_the_known_ones(database_url):
    with pytest.raises(ConfigError, match="model: expected one of default, fast, snownlp"):
        configure(database_url, [], model="gpt")
    with pytest.raises(ConfigError, match="source 'x'.model: expected one of"):
        configure(database_url, [rss("x", "http://127.0.0.1:9/feed", model="nope")])
