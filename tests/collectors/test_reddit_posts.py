"""post_from_submission / post_from_comment on praw objects built from recorded Reddit JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import praw
import pytest
from praw.models import Comment, Submission

from collectors.reddit import post_from_comment, post_from_submission
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def offline_reddit():
    """A praw client pointed at a closed port: any attempt to fetch a field would fail loudly."""
    return praw.Reddit(
        client_id="offline",
        client_secret="offline",
        user_agent="hundredfold tests (offline)",
        oauth_url="http://127.0.0.1:9",
        reddit_url="http://127.0.0.1:9",
        check_for_updates=False,
    )


def thing_data(fixture, fullname):
    """The `data` of the t3/t1 called `fullname` anywhere in a recorded response."""
    stack = [json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            if value.get("data", {}).get("name") == fullname:
                return value["data"]
            stack.extend(v for v in value.values() if isinstance(v, dict | list))
    raise AssertionError(f"{fullname} not in {fixture}")


def submission(reddit, fixture, fullname):
    return Submission(reddit, _data=thing_data(fixture, fullname))


def comment(reddit, fixture, fullname):
    return Comment(reddit, _data=thing_data(fixture, fullname))


def test_self_post_becomes_a_post_with_reach_and_utc_time(offline_reddit):
    post = post_from_submission(submission(offline_reddit, "reddit_new_page1.json", "t3_1cm4k2x"))
    assert post.external_id == "t3_1cm4k2x"
    assert post.author == "wang_li_88"
    assert (post.score, post.comments) == (57, 6)
    assert post.published_at == datetime(2024, 5, 7, 8, 2, 11, tzinfo=UTC)
    assert post.url.startswith("https://www.reddit.com/r/AcmeSupport/comments/1cm4k2x/")
    assert post.body.startswith("I returned my **Acme X2** on April 12")


def test_link_post_body_is_the_link_it_shares(offline_reddit):
    post = post_from_submission(submission(offline_reddit, "reddit_new_page1.json", "t3_1cm1v7q"))
    assert post.title == "Acme X2 battery recall: official notice"
    assert post.body == "https://www.acme.example/recall/x2-battery"
    assert post.url == (
        "https://www.reddit.com/r/AcmeSupport/comments/1cm1v7q/acme_x2_battery_recall_official_notice/"
    )


def test_deleted_submission_keeps_deleted_author_and_body(offline_reddit):
    post = post_from_submission(submission(offline_reddit, "reddit_new_page2.json", "t3_1cly3nd"))
    assert (post.author, post.body, post.title) == (
        "[deleted]",
        "[deleted]",
        "Charger stopped working after firmware update",
    )


def test_chinese_submission_text_is_unchanged(offline_reddit):
    post = post_from_submission(submission(offline_reddit, "reddit_search_new.json", "t3_1cm5p0r"))
    assert post.title == "Acme 退款三周还没到账，客服一直说在处理"
    assert post.body.splitlines()[1] == "现在已经三周了，打电话也没人接。有同样情况的吗？"


def test_reply_points_at_the_comment_it_answers(offline_reddit):
    fixture = "reddit_comments_deleted_and_removed.json"
    post = post_from_comment(comment(offline_reddit, fixture, "t1_l2x0b02"))
    assert post.external_id == "t1_l2x0b02"
    assert post.parent_external_id == "t1_l2x0a01"
    assert (post.author, post.score, post.comments, post.title) == (
        "AcmeSupport_Official",
        3,
        None,
        "",
    )
    assert post.published_at == datetime(2024, 5, 7, 9, 2, 40, tzinfo=UTC)
    assert post.url.endswith("/1cm4k2x/refund_still_not_processed_after_3_weeks_order/l2x0b02/")


@pytest.mark.parametrize(
    ("fullname", "author", "body"),
    [
        ("t1_l2x0c03", "[deleted]", "Acme chat closed my ticket without answering. Never again."),
        ("t1_l2x0d04", "[deleted]", "[removed]"),
    ],
    ids=["deleted-account", "removed-body"],
)
def test_deleted_and_removed_comments_are_kept_as_reddit_shows_them(
    offline_reddit, fullname, author, body
):
    fixture = "reddit_comments_deleted_and_removed.json"
    post = post_from_comment(comment(offline_reddit, fixture, fullname))
    assert (post.author, post.body, post.parent_external_id) == (author, body, "t3_1cm4k2x")


def test_fields_missing_from_the_data_are_not_fetched_from_reddit(offline_reddit):
    bare_submission = Submission(
        offline_reddit,
        _data={"id": "abc123", "title": "t", "created_utc": 1715068931.0, "author": "x"},
    )
    post = post_from_submission(bare_submission)
    assert (post.url, post.score, post.comments) == (
        "https://www.reddit.com/comments/abc123/",
        None,
        None,
    )
    bare_comment = Comment(
        offline_reddit,
        _data={"id": "c1", "body": "b", "created_utc": 1715068931.0, "link_id": "t3_abc123"},
    )
    reply = post_from_comment(bare_comment)
    assert reply.url == "https://www.reddit.com/comments/abc123/_/c1/"
    assert reply.author == "[deleted]" and reply.parent_external_id is None
