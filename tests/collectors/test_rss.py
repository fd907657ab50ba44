"""The rss collector against a real local HTTP server and local feed files."""

from __future__ import annotations

import shutil
import socket
import time
from datetime import UTC, datetime

import pytest

from collectors.base import SourceError
from collectors.http import USER_AGENT
from collectors.rss import RssCollector, RssSettings
from tests.servers import http_date

FORUM_FEED = "rss2_forum_html_bodies.xml"
ETAG = '"feed-v1"'
LAST_MODIFIED = http_date(1714550000)


def collect(url, state=None, **settings):
    """Every batch the collector yields for `url` from `state` (retries without waiting)."""
    settings.setdefault("retry_wait", 0.0)
    return list(RssCollector(RssSettings(url=url, **settings)).fetch(state or {}))


def test_a_503_then_200_is_absorbed_by_a_retry(feed_server, fixture_path):
    url = feed_server.route("/busy.xml", fixture_path(FORUM_FEED).read_bytes(), fail_first=1)
    [batch] = collect(url)
    assert len(batch.posts) == 3
    assert len(feed_server.requests_to("/busy.xml")) == 2


def test_a_persistent_5xx_is_tried_three_times_then_reported(feed_server):
    url = feed_server.route("/down.xml", "down", status=500)
    with pytest.raises(SourceError, match="HTTP 500"):
        collect(url, retries=2)
    assert len(feed_server.requests_to("/down.xml")) == 3


def test_a_client_error_is_not_retried(feed_server):
    url = feed_server.route("/gone.xml", "gone", status=404)
    with pytest.raises(SourceError, match="HTTP 404"):
        collect(url)
    assert len(feed_server.requests_to("/gone.xml")) == 1


@pytest.fixture
def forum_feed_url(feed_server, fixture_path):
    """URL of the forum feed, served with an ETag and a Last-Modified."""
    body = fixture_path(FORUM_FEED).read_bytes()
    return feed_server.route("/feed.xml", body, etag=ETAG, last_modified=LAST_MODIFIED)


def test_forum_entries_become_posts_with_titles_authors_links_and_ids(forum_feed_url):
    [batch] = collect(forum_feed_url)
    assert batch.warnings == []
    assert [post.external_id for post in batch.posts] == [
        "forum.acme.example-post-5001",
        "forum.acme.example-post-5002",
        "forum.acme.example-post-5003",
    ]
    first = batch.posts[0]
    assert first.title == "Refund & return still not processed"
    assert first.author == "@wang_li"
    assert first.url == "https://forum.acme.example/t/refund-delay/123/1"
    assert first.comments == 7
    assert batch.posts[2].title == "客服态度太差"
    assert batch.posts[2].author == "李雷"


def test_html_body_is_reduced_to_readable_text(forum_feed_url):
    body = collect(forum_feed_url)[0].posts[0].body
    assert body.splitlines() == [
        "My refund is two weeks late & support won't answer.",
        "Order #8812",
        "Paid on 12 April",
        "Tracking says “returned”.",
        "See the refund policy thread — it says 7 days.",
    ]
    assert "<" not in body and "&amp;" not in body and "\xa0" not in body


def test_script_and_style_contents_are_absent_from_body_but_kept_in_raw_html(forum_feed_url):
    post = collect(forum_feed_url)[0].posts[0]
    assert "document.cookie" not in post.body and "evil.example" not in post.body
    assert "color: red" not in post.body
    assert "<script>document.location=" in post.body_html
    assert '<a href="/t/refund-policy/77">' in post.body_html  # relative link kept as written


def test_plain_text_entry_has_no_raw_html(forum_feed_url):
    post = collect(forum_feed_url)[0].posts[1]
    assert post.body == "Since the last update the battery is empty every morning."
    assert post.body_html is None


def test_publication_times_with_offsets_are_stored_as_utc(forum_feed_url):
    posts = collect(forum_feed_url)[0].posts
    assert [post.published_at for post in posts] == [
        datetime(2024, 5, 1, 10, 30, tzinfo=UTC),
        datetime(2024, 5, 2, 9, 0, tzinfo=UTC),
        datetime(2024, 5, 3, 12, 15, tzinfo=UTC),
    ]
    assert all(post.published_at.utcoffset().total_seconds() == 0 for post in posts)


def test_request_carries_our_user_agent(feed_server, forum_feed_url):
    collect(forum_feed_url)
    [request] = feed_server.requests_to("/feed.xml")
    assert request.headers["user-agent"] == USER_AGENT
    assert "if-none-match" not in request.headers


def test_first_fetch_returns_the_validators_as_state(forum_feed_url):
    [batch] = collect(forum_feed_url)
    assert batch.state == {"etag": ETAG, "last_modified": LAST_MODIFIED}


def test_second_fetch_is_answered_304_and_yields_nothing(feed_server, forum_feed_url):
    [batch] = collect(forum_feed_url)
    assert collect(forum_feed_url, batch.state) == []
    second = feed_server.requests_to("/feed.xml")[1]
    assert second.headers["if-none-match"] == ETAG
    assert second.headers["if-modified-since"] == LAST_MODIFIED


def test_last_modified_alone_makes_the_second_fetch_conditional(feed_server, fixture_path):
    body = fixture_path(FORUM_FEED).read_bytes()
    url = feed_server.route("/dated.xml", body, last_modified=LAST_MODIFIED)
    [batch] = collect(url)
    assert batch.state["etag"] is None
    assert collect(url, batch.state) == []
    second = feed_server.requests_to("/dated.xml")[1]
    assert second.headers["if-modified-since"] == LAST_MODIFIED
    assert "if-none-match" not in second.headers


def test_changed_feed_is_fetched_again_with_its_new_etag(feed_server, fixture_path, forum_feed_url):
    [batch] = collect(forum_feed_url)
    body = fixture_path(FORUM_FEED).read_bytes()
    feed_server.route("/feed.xml", body, etag='"feed-v2"', last_modified=LAST_MODIFIED)
    [again] = collect(forum_feed_url, batch.state)
    assert len(again.posts) == 3
    assert again.state["etag"] == '"feed-v2"'


@pytest.mark.parametrize(
    ("status", "words"),
    [(500, "HTTP 500"), (429, "HTTP 429"), (503, "HTTP 503"), (404, "HTTP 404")],
)
def test_http_error_raises_source_error_naming_the_status(feed_server, status, words):
    url = feed_server.route("/broken.xml", "<rss/>", status=status, headers={"Retry-After": "60"})
    with pytest.raises(SourceError, match=words):
        collect(url)


def test_slow_server_raises_timed_out_after_the_configured_timeout(feed_server):
    url = feed_server.route("/slow.xml", "<rss version='2.0'/>", delay=3.0)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"timed out after 0\.3s"):
        collect(url, timeout=0.3)
    assert time.monotonic() - started < 2.0


def test_server_that_drips_its_body_is_given_up_on_after_the_timeout(feed_server, fixture_path):
    # Each piece comes within the timeout, the whole body does not: the setting promises
    # "seconds before a slow server is given up on", a deadline, not a per-read limit.
    body = fixture_path(FORUM_FEED).read_bytes()
    url = feed_server.route("/drip.xml", body, drip=0.25, drip_pieces=8)
    started = time.monotonic()
    with pytest.raises(SourceError, match="timed out"):
        collect(url, timeout=0.5)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("chunked", [False, True], ids=["content_length", "chunked"])
def test_oversized_body_is_refused_with_a_message_naming_the_limit(feed_server, chunked):
    url = feed_server.route("/big.xml", b"x" * 50_000, chunked=chunked)
    with pytest.raises(SourceError, match="1,000-byte limit"):
        collect(url, max_bytes=1000)


def test_small_gzip_body_that_inflates_past_the_limit_is_refused(feed_server):
    url = feed_server.route("/bomb.xml", b" " * 200_000, gzip=True)
    with pytest.raises(SourceError, match="10,000-byte limit"):
        collect(url, max_bytes=10_000)


def test_unreachable_server_raises_source_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SourceError, match="ConnectError"):
        collect(f"http://127.0.0.1:{port}/feed.xml", timeout=2)


def test_malformed_feed_yields_the_entries_that_parsed_and_a_warning(feed_server, fixture_path):
    body = fixture_path("malformed_unclosed_item.xml").read_bytes()
    [batch] = collect(feed_server.route("/malformed.xml", body))
    assert [post.external_id for post in batch.posts] == ["review-1", "review-2"]
    [warning] = batch.warnings
    assert warning.startswith("malformed feed")


def test_binary_body_is_reported_as_not_a_feed(feed_server):
    url = feed_server.route("/image.xml", b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    with pytest.raises(SourceError, match=r"not a feed: body is binary \(image/png\?\), 11 bytes"):
        collect(url)


def test_html_page_served_instead_of_a_feed_is_reported(feed_server):
    # A sign-in or challenge page answered with 200 is the commonest way a feed "works" yet
    # never yields a post; the design asks for a clear message on the source.
    page = "<html><head><title>Sign in</title></head><body><p>to continue</p></body></html>"
    url = feed_server.route("/login.xml", page, content_type="text/html")
    with pytest.raises(SourceError, match="not a feed: an HTML page titled 'Sign in'"):
        collect(url)


def test_local_path_is_read(fixture_path):
    [batch] = collect(str(fixture_path(FORUM_FEED)))
    assert len(batch.posts) == 3
    assert batch.state == {}


def test_file_url_with_spaces_and_chinese_in_the_path_is_read(fixture_path, tmp_path):
    folder = tmp_path / "示例 feeds"
    folder.mkdir()
    copy = shutil.copy(fixture_path(FORUM_FEED), folder / "forum feed.xml")
    url = copy.as_uri()
    assert url.startswith("file:///") and "%20" in url
    [batch] = collect(url)
    assert len(batch.posts) == 3


def test_missing_local_file_raises_source_error(tmp_path):
    with pytest.raises(SourceError, match="No such file"):
        collect(str(tmp_path / "absent.xml"))


def test_local_file_over_the_limit_is_refused(fixture_path):
    with pytest.raises(SourceError, match="100-byte limit"):
        collect(str(fixture_path(FORUM_FEED)), max_bytes=100)


@pytest.mark.parametrize(
    ("name", "first_title", "first_url"),
    [
        ("rss091.xml", "Price went up again", "https://news.acme.example/comments/31"),
        (
            "rss1_rdf.xml",
            "Charger stopped working after a week",
            "https://bbs.acme.example/thread-901",
        ),
        (
            FORUM_FEED,
            "Refund & return still not processed",
            "https://forum.acme.example/t/refund-delay/123/1",
        ),
        (
            "atom_without_dates.xml",
            "Acme app keeps logging me out",
            "https://mastodon.example/@kim/111",
        ),
    ],
)
def test_every_feed_format_parses(feed_server, fixture_path, name, first_title, first_url):
    url = feed_server.route("/" + name, fixture_path(name).read_bytes())
    [batch] = collect(url)
    assert batch.warnings == []
    assert len(batch.posts) >= 2
    # A title that only repeats the opening of the body (social feeds) is folded into it.
    assert batch.posts[0].text.startswith(first_title)
    assert batch.posts[0].url == first_url
    assert all(post.body and post.external_id for post in batch.posts)


def test_rss1_dates_are_utc_and_rss091_and_atom_without_dates_have_none(fixture_path):
    rdf = collect(str(fixture_path("rss1_rdf.xml")))[0].posts
    assert rdf[0].published_at == datetime(2024, 5, 4, 0, 0, tzinfo=UTC)
    assert rdf[0].author == "han_mei"
    for name in ("rss091.xml", "atom_without_dates.xml"):
        assert all(post.published_at is None for post in collect(str(fixture_path(name)))[0].posts)


def test_rss091_latin1_feed_is_decoded(fixture_path):
    posts = collect(str(fixture_path("rss091.xml")))[0].posts
    assert posts[0].body == "Third price rise this year, naïve of me to expect otherwise."
