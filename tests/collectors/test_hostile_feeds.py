"""Feeds as a hostile poster or a careless server writes them, over the real HTTP path."""

from __future__ import annotations

import time

import feedparser
import pytest
from sqlalchemy import select

from collectors.feed_bytes import (
    MAX_TAG_CHARS,
    PERSON_FIELD_CHARS,
    SMALL_FIELD_CHARS,
    decode_feed,
    safe_feed,
)
from collectors.rss import RssCollector, RssSettings
from data import collection_stats, connect
from data.schema import posts, sources
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect as collect_all

FIXTURE_FEEDS = [
    "rss2_forum_html_bodies.xml",
    "rss091.xml",
    "rss1_rdf.xml",
    "atom_without_dates.xml",
    "malformed_unclosed_item.xml",
]
CHINESE = "退款两周还没到，客服不回复"
UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def feed(author="Li Wei", title="Refund late", extra="", head="") -> str:
    """An RSS 2.0 feed with one item."""
    return (
        f"{head or UTF8_DECLARATION}"
        "<rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>f</title>"
        f"<item><guid>post-1</guid><title>{title}</title><author>{author}</author>{extra}"
        "<description>Still no refund after two weeks.</description></item></channel></rss>"
    )


def fetch(url: str, state=None):
    """Every batch the rss collector yields for `url`."""
    return list(RssCollector(RssSettings(url=url, retry_wait=0.0)).fetch(state or {}))


def configure(database_url: str, urls: dict[str, str], **settings):
    """A Config with one rss source per name."""
    table = [{"kind": "rss", "name": n, "url": u, "retry_wait": 0.0} for n, u in urls.items()]
    return config_from_table({"database_url": database_url, "source": table, **settings})


@pytest.mark.parametrize("name", FIXTURE_FEEDS)
def test_bounding_changes_nothing_feedparser_reads_in_an_ordinary_feed(fixture_path, name):
    raw = fixture_path(name).read_bytes()
    safe, warnings = safe_feed(raw)
    before = feedparser.parse(raw, sanitize_html=False, resolve_relative_uris=False)
    after = feedparser.parse(safe, sanitize_html=False, resolve_relative_uris=False)
    assert warnings == []
    assert after.entries == before.entries and after.version == before.version
    assert bool(after.bozo) == bool(before.bozo)


@pytest.mark.parametrize(
    "author",
    [
        "a" * 200_000,
        "<![CDATA[" + "a" * 200_000 + "]]>",
        "<!-- -->".join(["a" * 100] * 2_000),  # comments between pieces of one long name
        "<![CDATA[a]]>" * 100_000,
    ],
    ids=["text", "cdata", "split-by-comments", "many-cdata-sections"],
)
def test_a_200k_character_author_is_cut_before_feedparser_reads_it(feed_server, author):
    [batch] = fetch(feed_server.route("/long-author.xml", feed(author)))
    [post] = batch.posts
    assert post.author == "a" * 200
    assert post.body == "Still no refund after two weeks."
    parsed = feedparser.parse(safe_feed(feed(author).encode())[0])
    assert len(parsed.entries[0].author) == PERSON_FIELD_CHARS


def test_one_line_fields_keep_a_few_thousand_characters_and_the_item_stays_whole():
    title = "Refund &amp; " + "x" * 50_000
    safe, _ = safe_feed(feed(title=title, extra=f"<dc:creator>{'b' * 9_000}</dc:creator>").encode())
    [entry] = feedparser.parse(safe).entries
    assert entry.title.startswith("Refund & xxx") and len(entry.title) <= SMALL_FIELD_CHARS
    assert entry.author == "b" * PERSON_FIELD_CHARS
    assert entry.summary == "Still no refund after two weeks."


def test_a_field_cut_inside_another_elements_cdata_keeps_that_cdata_closed():
    body = "<![CDATA[<p>quoting <title>" + "t" * 10_000 + "</p>]]>"
    safe, _ = safe_feed(feed(extra=f"<content:encoded>{body}</content:encoded>").encode())
    assert b"</p>]]></content:encoded>" in safe


def test_a_tag_with_40000_attributes_keeps_the_ones_that_fit(feed_server):
    attributes = " ".join(f"a{n}='x'" for n in range(40_000))
    extra = f"<category domain='shop' {attributes}>refunds</category>"
    [batch] = fetch(feed_server.route("/attributes.xml", feed(extra=extra)))
    assert [post.external_id for post in batch.posts] == ["post-1"]
    safe, _ = safe_feed(feed(extra=extra).encode())
    [entry] = feedparser.parse(safe).entries
    assert entry.tags[0].term == "refunds" and entry.tags[0].scheme == "shop"
    assert max(len(piece) for piece in safe.split(b"<")) < MAX_TAG_CHARS + 100


def test_a_run_with_a_200k_author_beside_a_normal_feed_stores_both_within_the_timeout(
    database_url, feed_server, fixture_path
):
    urls = {
        "hostile": feed_server.route("/hostile.xml", feed("a" * 200_000)),
        "forum": feed_server.route(
            "/forum.xml", fixture_path("rss2_forum_html_bodies.xml").read_bytes()
        ),
    }
    config = configure(database_url, urls, source_timeout=5)
    engine = connect(database_url)
    started = time.monotonic()
    outcomes = {outcome.name: outcome for outcome in collect_all(config, engine)}
    elapsed = time.monotonic() - started
    assert outcomes["forum"].status == "ok" and outcomes["forum"].counts.posts_new == 3
    assert outcomes["hostile"].status == "ok" and outcomes["hostile"].counts.posts_new == 1
    with engine.connect() as connection:
        authors = connection.execute(select(posts.c.author)).scalars().all()
    assert "a" * 200 in authors and len(authors) == 4
    assert elapsed < 5 + 30, f"the run took {elapsed:.0f}s"


def test_a_feed_declared_utf8_but_written_in_gbk_is_stored_as_chinese(database_url, feed_server):
    body = feed(title=CHINESE, author="王小明").encode("gbk")
    url = feed_server.route("/gbk.xml", body)  # served as "charset=utf-8", declared utf-8
    [batch] = fetch(url)
    [post] = batch.posts
    assert (post.title, post.author) == (CHINESE, "王小明")
    assert batch.warnings == ["declared utf-8 but written in gb18030: read as gb18030"]
    engine = connect(database_url)
    collect_all(configure(database_url, {"gbk": url}), engine)
    with engine.connect() as connection:
        assert connection.execute(select(posts.c.title)).scalar_one() == CHINESE


def test_the_http_charset_is_tried_before_the_fallbacks(feed_server):
    body = feed(title="Ошибка возврата", head="<?xml version='1.0'?>").encode("koi8-r")
    url = feed_server.route("/koi8.xml", body, content_type="application/rss+xml; charset=koi8-r")
    [batch] = fetch(url)
    assert batch.posts[0].title == "Ошибка возврата" and batch.warnings == []


def test_bytes_valid_in_no_candidate_are_replaced_with_a_warning():
    text, warnings = decode_feed(feed(title="ok").encode() + b"\xff\xfe\xfd\x80")
    assert "<title>ok</title>" in text
    assert warnings == ["not valid utf-8 (nor gb18030): unreadable bytes replaced"]


def test_a_binary_body_is_described_never_stored_as_bytes(database_url, feed_server):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 48
    url = feed_server.route("/logo.xml", png, content_type="image/png")
    engine = connect(database_url)
    [outcome] = collect_all(configure(database_url, {"logo": url}), engine)
    expected = f"not a feed: body is binary (image/png?), {len(png):,} bytes"
    assert outcome.error == expected
    with engine.connect() as connection:
        assert connection.execute(select(sources.c.last_error)).scalar_one() == expected


def test_a_malformed_feed_keeps_its_warning_through_a_304(database_url, feed_server, fixture_path):
    body = fixture_path("malformed_unclosed_item.xml").read_bytes()
    url = feed_server.route("/malformed.xml", body, etag='"v1"')
    config = configure(database_url, {"broken": url})
    engine = connect(database_url)
    [first] = collect_all(config, engine)
    [second] = collect_all(config, engine)
    assert feed_server.requests_to("/malformed.xml")[1].headers["if-none-match"] == '"v1"'
    assert first.status == second.status == "warning"
    assert second.warnings == first.warnings and second.warnings[0].startswith("malformed feed")
    assert second.counts.posts_new == 0
    [warning] = collection_stats(engine, config.negative_threshold)["sources_with_warnings"]
    assert warning["name"] == "broken" and warning["message"].startswith("malformed feed")
    feed_server.route("/malformed.xml", feed(), etag='"v2"')  # fixed: the warning goes
    [third] = collect_all(config, engine)
    assert (third.status, third.warnings) == ("ok", [])


def test_emoji_and_script_joiners_survive_while_bidi_overrides_and_zero_widths_go(feed_server):
    family, coder, flag = (
        "👨\u200d👩\u200d👧",
        "👩🏽\u200d💻",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    )
    persian = "می\u200cخواهم"  # the non-joiner keeps this word's letters apart, as written
    title = f"{family} {coder} {flag} {persian}"
    hidden = "refund\u202e\u2066lanigiro\u2069\u202c \u200bnow\ufeff \U000e0041\U000e0042"
    url = feed_server.route(
        "/emoji.xml",
        feed(title=title).replace("Still no refund after two weeks.", f"{hidden} \u200d{coder}"),
    )
    [batch] = fetch(url)
    [post] = batch.posts
    assert post.title == title
    assert post.body == f"refundlanigiro now {coder}"


def test_an_empty_200_answer_is_reported_as_not_a_feed(database_url, feed_server):
    url = feed_server.route("/empty.xml", b"")
    engine = connect(database_url)
    [outcome] = collect_all(configure(database_url, {"empty": url}), engine)
    assert (outcome.status, outcome.error) == ("error", "not a feed: the body is empty")
