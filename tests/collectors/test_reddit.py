"""The reddit collector through praw against a fake Reddit API on 127.0.0.1 (tests/reddit_server).

praw makes real HTTP requests to the fake, which replays recorded Reddit JSON; nothing of
praw or of our code is patched. Retries wait `retry_wait` seconds, set tiny here.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from collectors.base import RateLimited, SourceError
from collectors.files import FileCollector, FileSettings
from collectors.reddit import RedditCollector, RedditSettings
from collectors.run import Job, run_jobs
from tests.conftest import FIXTURES
from tests.reddit_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    QUERY,
    SUBREDDIT_NEW,
    RedditServer,
    recorded,
)

SUBMISSIONS = {"t3_1cm4k2x", "t3_1cm1v7q", "t3_1cly3nd", "t3_1cm5p0r", "t3_1cjz8ws"}
COMMENTS = {f"t1_{id}" for id in ("l2x0a01", "l2x0b02", "l2x0c03", "l2x0d04", "l2w9e05")} | {
    "t1_l2x3f06",
    "t1_l2x3g07",
}
EVERY_HOUR_SINCE_2024 = 24 * 365 * 10.0  # a reach_window that keeps the recorded posts young


def collector(server, **settings):
    options = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "subreddits": ["AcmeSupport"],
        "search": [QUERY],
        "oauth_url": server.url,
        "reddit_url": server.url,
        "retry_wait": 0.001,
    }
    return RedditCollector(RedditSettings(**(options | settings)))


def run(server, state=None, **settings):
    """(batches, error): every batch one fetch yields and the SourceError that ended it."""
    batches = []
    try:
        for batch in collector(server, **settings).fetch(state or {}):
            batches.append(batch)
    except SourceError as error:
        return batches, error
    return batches, None


def posts_by_id(batches):
    return {post.external_id: post for batch in batches for post in batch.posts}


def test_every_recorded_post_and_comment_is_yielded(reddit):
    batches, error = run(reddit)
    assert error is None
    assert set(posts_by_id(batches)) == SUBMISSIONS | COMMENTS


def test_submission_has_its_author_reach_time_and_permalink(reddit):
    post = posts_by_id(run(reddit)[0])["t3_1cm4k2x"]
    assert post.title == "Refund still not processed after 3 weeks — order #88120"
    assert post.author == "wang_li_88"
    assert (post.score, post.comments) == (57, 6)
    assert post.published_at == datetime(2024, 5, 7, 8, 2, 11, tzinfo=UTC)
    assert post.url == (
        "https://www.reddit.com/r/AcmeSupport/comments/1cm4k2x/"
        "refund_still_not_processed_after_3_weeks_order/"
    )
    assert post.parent_external_id is None


def test_comments_point_at_the_comment_or_thread_they_answer(reddit):
    posts = posts_by_id(run(reddit)[0])
    reply = posts["t1_l2x0b02"]
    assert reply.parent_external_id == "t1_l2x0a01"
    assert posts["t1_l2x0a01"].parent_external_id == "t3_1cm4k2x"
    assert reply.author == "AcmeSupport_Official"
    assert reply.score == 3 and reply.comments is None
    assert reply.published_at == datetime(2024, 5, 7, 9, 2, 40, tzinfo=UTC)
    assert reply.url.endswith("/1cm4k2x/refund_still_not_processed_after_3_weeks_order/l2x0b02/")
    assert posts["t1_l2x3g07"].body == "谢谢，已经投诉了。"


def test_deleted_authors_and_removed_bodies_are_kept_as_reddit_shows_them(reddit):
    posts = posts_by_id(run(reddit)[0])
    deleted_post = posts["t3_1cly3nd"]
    assert (deleted_post.author, deleted_post.body) == ("[deleted]", "[deleted]")
    account_gone = posts["t1_l2x0c03"]
    assert account_gone.author == "[deleted]"
    assert account_gone.body == "Acme chat closed my ticket without answering. Never again."
    assert posts["t1_l2x0d04"].body == "[removed]"


def test_markdown_is_kept_as_text_and_a_link_post_keeps_its_link(reddit):
    posts = posts_by_id(run(reddit)[0])
    assert posts["t3_1cm4k2x"].body.splitlines() == [
        'I returned my **Acme X2** on April 12 and support keeps saying "5–7 business days".',
        "> Your refund has been initiated",
        "That was 3 weeks ago. Anyone else? [order status](https://www.acme.example/orders)",
    ]
    assert posts["t3_1cm1v7q"].body == "https://www.acme.example/recall/x2-battery"
    assert all(post.body_html is None for post in posts.values())


def test_only_threads_with_comments_are_opened_and_load_more_stubs_cost_nothing(reddit):
    run(reddit)
    opened = {r.path for r in reddit.requests if r.path.startswith("/comments/")}
    assert opened == {"/comments/1cm4k2x", "/comments/1cm1v7q", "/comments/1cm5p0r"}
    assert not [r for r in reddit.requests if "morechildren" in r.path]


def test_login_is_app_only_with_client_credentials(reddit):
    run(reddit)
    [token] = reddit.requests_to("/api/v1/access_token")
    assert token.method == "POST" and token.body == "grant_type=client_credentials"
    assert reddit.requests_to(SUBREDDIT_NEW)[0].headers["user-agent"].startswith("Hundredfold/")


def test_second_run_yields_nothing_new(reddit):
    first, _ = run(reddit)
    requests_before = len(reddit.requests)
    second, error = run(reddit, first[-1].state)
    assert error is None and second == []
    made = reddit.requests[requests_before:]
    assert {r.path for r in made} == {"/api/v1/access_token", "/r/acmesupport/new", "/search"}
    assert len(made) == 3  # one page each: the first items are where the last run stopped


def test_post_published_after_a_run_is_fetched_alone(reddit):
    first, _ = run(reddit)
    reddit.serve_listing(SUBREDDIT_NEW, recorded("reddit_new_with_newer_post.json"))
    second, error = run(reddit, first[-1].state)
    assert error is None
    assert list(posts_by_id(second)) == ["t3_1cm6q1z"]
    assert second[-1].state["cursors"]["r/acmesupport"]["fullname"] == "t3_1cm6q1z"


def test_reach_of_young_posts_is_read_again_on_the_next_run(reddit):
    first, _ = run(reddit, reach_window=EVERY_HOUR_SINCE_2024)
    reddit.set_reach("t3_1cm4k2x", score=250, num_comments=6)
    reddit.set_reach("t1_l2x0d04", score=-4)
    requests_before = len(reddit.requests)
    second, error = run(reddit, first[-1].state, reach_window=EVERY_HOUR_SINCE_2024)
    assert error is None
    reread = posts_by_id(second)
    assert set(reread) == set(first[-1].state["young"]) == SUBMISSIONS | COMMENTS
    assert (reread["t3_1cm4k2x"].score, reread["t1_l2x0d04"].score) == (250, -4)
    made = {r.path for r in reddit.requests[requests_before:]}
    assert "/api/info" in made and not any(p.startswith("/comments/") for p in made)


def test_edits_seen_in_a_reach_re_read_update_the_post(reddit):
    first, _ = run(reddit, reach_window=EVERY_HOUR_SINCE_2024)
    reddit.set_reach("t3_1cm5p0r", selftext="更新：已经退款了。", edited=1715100000.0)
    reddit.set_reach("t1_l2x3f06", body="[deleted]", author="[deleted]")
    second, _ = run(reddit, first[-1].state, reach_window=EVERY_HOUR_SINCE_2024)
    posts = posts_by_id(second)
    assert posts["t3_1cm5p0r"].body == "更新：已经退款了。"
    assert (posts["t1_l2x3f06"].body, posts["t1_l2x3f06"].author) == ("[deleted]", "[deleted]")


def test_a_young_thread_with_new_comments_is_opened_again(reddit):
    first, _ = run(reddit, reach_window=EVERY_HOUR_SINCE_2024)
    reddit.set_reach("t3_1cm1v7q", num_comments=2)
    run(reddit, first[-1].state, reach_window=EVERY_HOUR_SINCE_2024)
    assert len(reddit.requests_to("/comments/1cm1v7q")) == 2


def test_posts_older_than_the_reach_window_are_not_read_again(reddit):
    first, _ = run(reddit)  # default window: 48 h, and the recordings are from May 2024
    assert first[-1].state["young"] == {}
    hours_since_the_link_post = (time.time() - 1715035205) / 3600  # 2024-05-06 22:40:05 UTC
    narrow = hours_since_the_link_post - 1  # keeps posts from 23:40 on May 6
    wide, _ = run(reddit, reach_window=EVERY_HOUR_SINCE_2024)
    reddit.set_reach("t3_1cm4k2x", score=99)
    second, _ = run(reddit, wide[-1].state, reach_window=narrow)
    [info] = reddit.requests_to("/api/info")
    kept = {"t3_1cm4k2x", "t3_1cm5p0r", "t1_l2x0a01", "t1_l2x0b02", "t1_l2x0c03", "t1_l2x0d04"}
    assert set(info.query["id"].split(",")) == kept | {"t1_l2x3f06", "t1_l2x3g07"}
    assert set(second[-1].state["young"]) == kept | {"t1_l2x3f06", "t1_l2x3g07"}


def test_checkpoint_carries_the_rate_limit_budget(reddit):
    reddit.set_budget(remaining=600, used=0, reset=300)
    batches, _ = run(reddit)
    budget = batches[-1].state["rate_limit"]
    assert (budget["remaining"], budget["used"]) == (594, 6)  # six API requests, token aside
    json.dumps(batches[-1].state)  # the checkpoint is stored as JSON
    reset_at = datetime.fromisoformat(budget["reset_at"])
    expected = datetime.now(UTC) + timedelta(seconds=300)
    assert abs((reset_at - expected).total_seconds()) < 5


def test_nearly_spent_budget_stops_the_run_after_yielding_what_was_read(reddit):
    reddit.set_budget(remaining=6, used=94, reset=20)
    batches, error = run(reddit)
    assert isinstance(error, RateLimited)
    assert 15 < error.retry_after <= 20
    assert "4 requests left" in str(error)
    assert set(posts_by_id(batches)) == {"t3_1cm4k2x", "t3_1cm1v7q", "t3_1cly3nd"}
    assert reddit.requests_to("/search") == []
    assert batches[-1].state["rate_limit"]["remaining"] == 4


def test_stopped_run_stops_again_at_once_then_resumes_the_waiting_threads(reddit):
    reddit.set_budget(remaining=8, used=92, reset=20)
    first, error = run(reddit)
    assert isinstance(error, RateLimited)
    state = first[-1].state
    assert state["pending_comments"] == ["t3_1cm1v7q", "t3_1cm5p0r"]
    requests_before = len(reddit.requests)
    again, error = run(reddit, state)
    assert isinstance(error, RateLimited) and len(reddit.requests) == requests_before
    state = again[-1].state | {"rate_limit": {"remaining": 4, "used": 96, "reset_at": None}}
    reddit.set_budget(remaining=1000, used=0, reset=300)
    resumed, error = run(reddit, state)
    assert error is None
    assert set(posts_by_id(resumed)) == {"t1_l2w9e05", "t1_l2x3f06", "t1_l2x3g07"}


def test_429_ends_the_run_with_the_wait_and_keeps_what_was_read(reddit):
    limits = {"x_ratelimit_remaining": 0, "x_ratelimit_used": 1000, "x_ratelimit_reset": 42}
    reddit.fail(SUBREDDIT_NEW, 429, skip=1, retry_after=42, **limits)
    batches, error = run(reddit)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 42
    assert str(error).startswith("Reddit rate limit: retry after 42 s")
    assert set(posts_by_id(batches)) == {"t3_1cm4k2x", "t3_1cm1v7q"}
    assert "r/acmesupport" not in batches[-1].state["cursors"]  # page 2 is read next time


def test_429_without_retry_after_waits_for_the_rate_limit_reset(reddit):
    reddit.fail(
        "/search", 429, x_ratelimit_remaining=0, x_ratelimit_used=1000, x_ratelimit_reset=90
    )
    _, error = run(reddit)
    assert isinstance(error, RateLimited) and error.retry_after == 90


def test_503_then_200_is_absorbed(reddit):
    reddit.fail(SUBREDDIT_NEW, 503, times=1)
    batches, error = run(reddit)
    assert error is None
    assert set(posts_by_id(batches)) == SUBMISSIONS | COMMENTS
    assert len(reddit.requests_to(SUBREDDIT_NEW)) == 3  # the 503, then pages 1 and 2


def test_persistent_500_is_a_source_error_naming_the_status(reddit):
    reddit.fail("/search", 500)
    batches, error = run(reddit)
    assert type(error) is SourceError
    assert "HTTP 500" in str(error) and "after 3 attempts" in str(error)
    assert "search 'acme refund'" in str(error)
    assert len(reddit.requests_to("/search")) == 3  # our three tries; prawcore adds none
    assert {"t3_1cm4k2x", "t3_1cly3nd"} <= set(posts_by_id(batches))


def test_wrong_client_secret_is_reported_as_refused_credentials(reddit):
    _, error = run(reddit, client_secret="not-the-secret")
    assert type(error) is SourceError
    assert "refused the app credentials" in str(error) and "401" in str(error)


def test_unreachable_reddit_is_a_source_error_after_retries(reddit):
    closed = RedditServer().start()
    url = closed.url
    closed.stop()
    _, error = run(reddit, oauth_url=url, reddit_url=url)
    assert type(error) is SourceError
    assert "cannot reach" in str(error) and "after 3 attempts" in str(error)


def test_429_ends_only_the_reddit_job_and_the_runner_records_its_wait(reddit):
    limits = {"x_ratelimit_remaining": 0, "x_ratelimit_used": 1000, "x_ratelimit_reset": 30}
    reddit.fail("/search", 429, retry_after=30, **limits)
    reviews = FileCollector(FileSettings(path=str(FIXTURES / "app_reviews.jsonl")))
    jobs = [Job("reddit", collector(reddit), {}), Job("reviews", reviews, {})]
    events = list(run_jobs(jobs, timeout=60))
    ends = {event.job.name: event for event in events if event.finished}
    assert ends["reviews"].error is None
    assert ends["reddit"].retry_after == 30
    assert ends["reddit"].error.startswith("Reddit rate limit: retry after 30 s")
    batches = [event.batch for event in events if event.job.name == "reddit" and event.batch]
    assert {"t3_1cm4k2x", "t3_1cly3nd"} <= set(posts_by_id(batches))


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"client_id": "a", "client_secret": "b"}, "subreddits"),
        ({"client_id": "a", "client_secret": "", "search": ["acme"]}, "client_secret"),
    ],
    ids=["no-listing", "no-secret"],
)
def test_incomplete_settings_are_refused(settings, words):
    with pytest.raises(SourceError, match=words):
        RedditCollector(RedditSettings(**settings))
