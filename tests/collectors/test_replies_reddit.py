"""Replies on Reddit through praw against the fake Reddit API on 127.0.0.1 (tests/reddit_server).

praw logs in with the password grant and posts to /api/comment of the fake, which answers in
Reddit's shape; only prawcore's sleep between tries is patched.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest

from collectors.reddit import WEB_URL, RedditSettings
from collectors.replies import ReplyTarget, SendFailed, replier_for
from tests.reddit_server import CLIENT_ID, CLIENT_SECRET
from tests.reddit_writes import PASSWORD, USERNAME

THREAD = "/r/AcmeSupport/comments/1cm4k2x/refund_still_not_processed_after_3_weeks_order/"
REPLY = "Sorry for the wait — we have escalated your refund. 抱歉，退款已加急处理。"
KEY = "5f0c2a9e"


def replier(server_url: str, token_url: str | None = None, **settings):
    """The reddit replier of a source pointed at the fake (tokens asked of `token_url`)."""
    options = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "username": USERNAME,
        "password": PASSWORD,
        "oauth_url": server_url,
        "reddit_url": token_url or server_url,
    }
    made = replier_for("reddit", RedditSettings(**(options | settings)))
    assert made is not None
    return made


def target(fullname: str) -> ReplyTarget:
    return ReplyTarget(external_id=fullname, url="", author="jt_acme_fan")


@pytest.fixture
def prawcore_waits(monkeypatch) -> list[float]:
    """prawcore's waits before a retry, recorded instead of slept."""
    import prawcore.sessions

    waits: list[float] = []
    monkeypatch.setattr(prawcore.sessions.time, "sleep", waits.append)
    return waits


def failure(reddit, fullname: str, **settings) -> SendFailed:
    with pytest.raises(SendFailed) as raised:
        replier(reddit.url, **settings).send(target(fullname), REPLY, KEY)
    return raised.value


def test_reply_to_a_post_is_one_comment_under_it_and_returns_its_permalink(reddit):
    sent = replier(reddit.url).send(target("t3_1cm4k2x"), REPLY, KEY)

    [comment] = reddit.comments
    assert (comment["data"]["parent_id"], comment["data"]["body"]) == ("t3_1cm4k2x", REPLY)
    [request] = reddit.requests_to("/api/comment")
    form = {key: values[0] for key, values in parse_qs(request.body).items()}
    assert form == {"thing_id": "t3_1cm4k2x", "text": REPLY, "api_type": "json"}
    new_id = comment["data"]["id"]
    assert sent.url == f"{WEB_URL}{THREAD}{new_id}/"
    assert sent.reference == f"t1_{new_id}"


def test_reply_to_a_comment_answers_that_comment_in_its_thread(reddit):
    sent = replier(reddit.url).send(target("t1_l2x3f06"), "已经联系您了", KEY)

    [comment] = reddit.comments
    assert comment["data"]["parent_id"] == "t1_l2x3f06"
    assert comment["data"]["link_id"] == "t3_1cm5p0r"
    assert sent.url.startswith(f"{WEB_URL}/r/China_irl/comments/1cm5p0r/")


def test_reddit_answering_503_once_still_posts_exactly_one_comment(reddit, prawcore_waits):
    reddit.fail("/api/comment", 503, times=1)

    sent = replier(reddit.url).send(target("t3_1cm4k2x"), REPLY, KEY)

    # prawcore retries the 503 (and, now and then, a pooled connection the server dropped
    # before the request reached it): the comment is made once whatever the tries.
    assert len(reddit.requests_to("/api/comment")) == 2
    [comment] = reddit.comments
    assert sent.reference == comment["data"]["name"]
    assert 1 <= len(prawcore_waits) <= 2  # prawcore's own backoff, not slept here


def test_reddit_down_after_every_try_is_retryable(reddit, prawcore_waits):
    reddit.fail("/api/comment", 503)

    error = failure(reddit, "t3_1cm4k2x")

    assert error.retryable and "503" in str(error)
    assert reddit.comments == []


def test_wrong_account_password_is_not_retryable_and_keeps_the_password_out(reddit):
    error = failure(reddit, "t3_1cm4k2x", password="not-the-password")

    assert not error.retryable
    assert "credentials" in str(error) and "not-the-password" not in str(error)


@pytest.mark.parametrize(
    "headers", [{"www_authenticate": 'Bearer realm="reddit", error="invalid_token"'}, {}]
)
def test_401_on_the_comment_is_not_retryable(reddit, prawcore_waits, headers):
    reddit.fail("/api/comment", 401, **headers)

    error = failure(reddit, "t3_1cm4k2x")

    assert not error.retryable and "credentials" in str(error)


def test_wrong_app_secret_is_not_retryable(reddit):
    error = failure(reddit, "t3_1cm4k2x", client_secret="wrong")

    assert not error.retryable and "client_secret" in str(error)


def test_429_is_retryable_and_says_how_long_to_wait(reddit):
    reddit.fail("/api/comment", 429, retry_after=30)

    error = failure(reddit, "t3_1cm4k2x")

    assert error.retryable and "30 s" in str(error)


@pytest.mark.parametrize(
    ("fullname", "code"),
    [("t3_1cm1v7q", "THREAD_LOCKED"), ("t1_l2x0d04", "DELETED_COMMENT"), ("t3_zzz", "INVALID")],
)
def test_locked_deleted_or_unknown_parent_is_not_retryable_with_reddits_reason(
    reddit, fullname, code
):
    reddit.lock("t3_1cm1v7q")

    error = failure(reddit, fullname)

    assert not error.retryable and code in str(error)
    assert reddit.comments == []


@pytest.mark.parametrize(
    ("login_answers", "said"), [(True, "may have been posted"), (False, "login did not answer")]
)
def test_reddit_never_answering_is_a_retryable_timeout_tried_once(
    reddit, silent_url, login_answers, said
):
    token_url = reddit.url if login_answers else silent_url
    started = time.monotonic()
    with pytest.raises(SendFailed) as raised:
        replier(silent_url, token_url, timeout=0.3).send(target("t3_1cm4k2x"), REPLY, KEY)

    assert raised.value.retryable and said in str(raised.value)
    assert time.monotonic() - started < 3  # tried once: a timed-out POST may have arrived


def test_refused_connection_is_retryable(closed_port, prawcore_waits):
    url = f"http://127.0.0.1:{closed_port}"
    with pytest.raises(SendFailed) as raised:
        replier(url).send(target("t3_1cm4k2x"), REPLY, KEY)

    assert raised.value.retryable and f"127.0.0.1:{closed_port}" in str(raised.value)


def test_id_that_is_no_reddit_thing_is_refused_without_a_request(reddit):
    error = failure(reddit, "<mail@example.com>")

    assert not error.retryable
    assert reddit.requests == []
