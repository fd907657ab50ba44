"""The test feed server itself: it must really do what the collector tests rely on."""

from __future__ import annotations

import threading
import time

import httpx

from tests.servers import FeedServer, http_date


def test_unknown_path_is_answered_404(feed_server):
    response = httpx.get(feed_server.url("/nowhere.xml"))
    assert response.status_code == 404


def test_matching_validators_are_answered_304(feed_server):
    modified = http_date(1714550000)
    url = feed_server.route("/feed.xml", "<rss/>", etag='"v1"', last_modified=modified)
    assert httpx.get(url, headers={"If-None-Match": '"v1"'}).status_code == 304
    assert httpx.get(url, headers={"If-None-Match": '"v0"'}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert httpx.get(url, headers={"If-Modified-Since": http_date(1714549000)}).status_code == 200


def test_chunked_route_sends_no_content_length(feed_server):
    url = feed_server.route("/big.xml", b"x" * 50_000, chunked=True)
    response = httpx.get(url)
    assert "content-length" not in response.headers
    assert response.headers["transfer-encoding"] == "chunked"
    assert len(response.content) == 50_000


def test_gzip_route_is_small_on_the_wire_and_large_when_inflated(feed_server):
    url = feed_server.route("/bomb.xml", b" " * 200_000, gzip=True)
    response = httpx.get(url)
    assert int(response.headers["content-length"]) < 10_000
    assert len(response.content) == 200_000


def test_requests_are_recorded_with_their_headers(feed_server):
    url = feed_server.route("/feed.xml", "<rss/>")
    httpx.get(url + "?page=2", headers={"User-Agent": "probe/1"})
    [request] = feed_server.requests
    assert (request.path, request.headers["user-agent"]) == ("/feed.xml", "probe/1")


def test_stopping_does_not_wait_for_a_sleeping_handler():
    server = FeedServer().start()
    url = server.route("/slow.xml", "<rss/>", delay=30.0)
    errors = []

    def ask():
        try:
            httpx.get(url, timeout=10)
        except httpx.HTTPError as error:
            errors.append(error)

    client = threading.Thread(target=ask, daemon=True)
    client.start()
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.requests, "the slow request never reached the server"
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2.0
    client.join(timeout=5)
    assert not client.is_alive() and errors  # the client got a closed connection, not a feed
