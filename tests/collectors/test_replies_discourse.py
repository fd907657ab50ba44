"""Replies on a Discourse forum through its API, against a fake Discourse on 127.0.0.1.

The fake (tests/discourse_server) checks the Api-Key and Api-Username headers, creates posts
and answers in Discourse's shape; failures are scripted on it, nothing of ours is patched.
"""

from __future__ import annotations

import pytest

from collectors.replies import ReplyTarget, SendFailed, replier_for
from collectors.rss import RssSettings
from tests.discourse_server import API_KEY, API_USERNAME, DiscourseServer

TOPIC = 42
SLUG = "refund-still-missing-after-3-weeks"
REPLY = "Sorry about this: your refund is escalated. 抱歉，退款已加急处理。"
KEY = "c0ffee12"


@pytest.fixture(scope="module")
def discourse_session():
    with DiscourseServer() as server:
        yield server


@pytest.fixture
def discourse(discourse_session):
    """The fake forum holding topic 42 with three posts, nothing failing."""
    discourse_session.reset()
    discourse_session.add_topic(TOPIC, SLUG, posts=3)
    yield discourse_session
    discourse_session.reset()


def replier(base_url: str, **settings):
    """The replier of an rss source reading the forum at `base_url`."""
    options = {
        "url": f"{base_url}/latest.rss",
        "discourse_api_key": API_KEY,
        "discourse_username": API_USERNAME,
        "timeout": 2.0,
    }
    made = replier_for("rss", RssSettings(**(options | settings)))
    assert made is not None
    return made


def target(url: str) -> ReplyTarget:
    return ReplyTarget(external_id="forum.acme.example-post-9001", url=url, author="@mei")


def failure(base_url: str, url: str, **settings) -> SendFailed:
    with pytest.raises(SendFailed) as raised:
        replier(base_url, **settings).send(target(url), REPLY, KEY)
    return raised.value


def test_reply_to_a_post_is_posted_in_its_topic_as_a_reply_to_that_post(discourse):
    base = discourse.base_url

    sent = replier(base).send(target(f"{base}/t/{SLUG}/{TOPIC}/3"), REPLY, KEY)

    [received] = discourse.received
    assert received.path == "/posts.json"
    assert received.body == {"topic_id": TOPIC, "raw": REPLY, "reply_to_post_number": 3}
    assert received.headers["api-key"] == API_KEY
    assert received.headers["api-username"] == API_USERNAME
    assert received.headers["content-type"] == "application/json"
    [post] = discourse.posts
    assert sent.url == f"{base}/t/{SLUG}/{TOPIC}/{post['post_number']}"
    assert sent.reference == str(post["id"])


@pytest.mark.parametrize("path", [f"/t/{SLUG}/{TOPIC}", f"/t/{SLUG}/{TOPIC}/1", f"/t/{TOPIC}/1"])
def test_reply_to_a_topic_names_no_post_to_answer(discourse, path):
    replier(discourse.base_url).send(target(discourse.base_url + path), REPLY, KEY)

    [received] = discourse.received
    assert received.body == {"topic_id": TOPIC, "raw": REPLY}


def test_wrong_api_key_is_not_retryable_and_keeps_the_key_out(discourse):
    base = discourse.base_url
    error = failure(base, f"{base}/t/{SLUG}/{TOPIC}", discourse_api_key="stale-key-77")

    assert not error.retryable and "HTTP 403" in str(error)
    assert "stale-key-77" not in str(error)
    assert discourse.posts == []


def test_unknown_topic_is_refused_with_discourses_reasons(discourse):
    error = failure(discourse.base_url, f"{discourse.base_url}/t/gone/999")

    assert not error.retryable and "Topic not found" in str(error)


@pytest.mark.parametrize(("status", "said"), [(429, "wait 10 s"), (503, "HTTP 503")])
def test_rate_limit_and_server_errors_are_retryable(discourse, status, said):
    discourse.fail(status, retry_after="10")

    error = failure(discourse.base_url, f"{discourse.base_url}/t/{SLUG}/{TOPIC}")

    assert error.retryable and said in str(error)
    assert len(discourse.received) == 1  # tried once: a second POST could post twice
    assert discourse.posts == []


@pytest.mark.parametrize("path", ["/latest", "/c/support/5", "/t/no-number", ""])
def test_post_url_naming_no_topic_is_not_sent(discourse, path):
    error = failure(discourse.base_url, discourse.base_url + path)

    assert str(error) == "this post's URL names no Discourse topic"
    assert not error.retryable and discourse.received == []


def test_api_key_is_never_sent_to_a_host_other_than_the_feeds(discourse):
    error = failure(discourse.base_url, f"http://elsewhere.example/t/{SLUG}/{TOPIC}")

    assert not error.retryable and "elsewhere.example" in str(error)
    assert discourse.received == []


def test_forum_in_a_subfolder_is_posted_to_under_that_folder(discourse):
    base = discourse.base_url
    error = failure(base, f"{base}/forum/t/{SLUG}/{TOPIC}/2")

    assert [received.path for received in discourse.received] == ["/forum/posts.json"]
    assert not error.retryable  # the fake forum lives at /: its answer is a 404


def test_forum_that_never_answers_is_a_retryable_timeout(silent_url):
    error = failure(silent_url, f"{silent_url}/t/{SLUG}/{TOPIC}", timeout=0.3)

    assert error.retryable and "may have been posted" in str(error)


def test_refused_connection_is_retryable(closed_port):
    base = f"http://127.0.0.1:{closed_port}"

    error = failure(base, f"{base}/t/{SLUG}/{TOPIC}")

    assert error.retryable and f"127.0.0.1:{closed_port}" in str(error)
