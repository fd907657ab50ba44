"""post_from_entry on its own: one feedparser entry in, one Post (or None) out."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from feedparser import FeedParserDict

from collectors.rss import post_from_entry


def entry(**fields):
    """A feedparser-shaped entry with just `fields`."""
    return FeedParserDict(fields)


def parsed(text):
    """A UTC struct_time, as feedparser gives in *_parsed fields."""
    return time.strptime(text, "%Y-%m-%d %H:%M:%S")


def test_entry_id_is_the_external_id():
    post = post_from_entry(entry(id="tag:x,2024:1", link="https://x.example/1", title="Hi"))
    assert post.external_id == "tag:x,2024:1"


def test_entry_without_id_falls_back_to_its_link():
    post = post_from_entry(entry(link="https://x.example/1", summary="Broken on arrival"))
    assert post.external_id == "https://x.example/1"
    assert post.url == "https://x.example/1"


def test_entry_without_id_or_link_gets_a_stable_hash_of_its_text():
    first = post_from_entry(entry(title="Late", summary="Parcel is a week late"))
    again = post_from_entry(entry(title="Late", summary="Parcel is a week late"))
    other = post_from_entry(entry(title="Late", summary="Parcel is two weeks late"))
    assert first.external_id == again.external_id
    assert first.external_id != other.external_id
    assert first.external_id.startswith("sha1:")


def test_entry_whose_id_has_no_readable_characters_falls_back_to_its_link():
    # An id made only of invisible characters cleans to "", which would merge every such
    # entry of the source into one post.
    post = post_from_entry(entry(id="\u200b", link="https://x.example/7", title="Refund?"))
    assert post.external_id == "https://x.example/7"


def test_entry_without_dates_has_no_published_at():
    post = post_from_entry(entry(id="1", title="No date here"))
    assert post.published_at is None


def test_published_date_wins_over_updated_date():
    post = post_from_entry(
        entry(
            id="1",
            title="t",
            published_parsed=parsed("2024-05-01 10:00:00"),
            updated_parsed=parsed("2024-06-01 10:00:00"),
        )
    )
    assert post.published_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_entry_with_only_an_update_date_uses_it():
    post = post_from_entry(entry(id="1", title="t", updated_parsed=parsed("2024-06-01 10:00:00")))
    assert post.published_at == datetime(2024, 6, 1, 10, 0, tzinfo=UTC)


def test_impossible_date_is_skipped_for_the_next_one():
    impossible = time.struct_time((2024, 13, 40, 0, 0, 0, 0, 1, 0))
    post = post_from_entry(
        entry(
            id="1",
            title="t",
            published_parsed=impossible,
            updated_parsed=parsed("2024-06-01 10:00:00"),
        )
    )
    assert post.published_at == datetime(2024, 6, 1, 10, 0, tzinfo=UTC)


def test_longest_content_wins_over_a_short_summary():
    post = post_from_entry(
        entry(
            id="1",
            summary="Short teaser…",
            content=[
                {"type": "text/html", "value": "<p>The full post: <b>broken</b> hinge</p>"},
                {"type": "text/plain", "value": "The full post"},
            ],
        )
    )
    assert post.body == "The full post: broken hinge"
    assert post.body_html == "<p>The full post: <b>broken</b> hinge</p>"


def test_entry_with_no_text_at_all_is_skipped():
    assert post_from_entry(entry(id="1", link="https://x.example/1")) is None
    assert post_from_entry(entry(id="1", title="  ", summary="<p> </p>")) is None


def test_title_that_repeats_the_opening_of_the_body_is_dropped():
    post = post_from_entry(
        entry(
            id="1",
            title="X1 stopped working…",
            summary="X1 stopped working after two days, refund please",
        )
    )
    assert (post.title, post.text) == ("", "X1 stopped working after two days, refund please")
    kept = post_from_entry(entry(id="2", title="Refund delay", summary="Still waiting."))
    assert kept.title == "Refund delay"


def test_html_in_title_is_reduced_to_text():
    post = post_from_entry(entry(id="1", title="<b>Refund</b> &amp; return", summary="x"))
    assert post.title == "Refund & return"


def test_comment_count_that_is_not_a_number_is_none():
    assert post_from_entry(entry(id="1", title="t", slash_comments="many")).comments is None
    assert post_from_entry(entry(id="1", title="t", slash_comments="12")).comments == 12


def test_long_fields_are_capped():
    post = post_from_entry(
        entry(id="i" * 900, link="https://x.example/" + "p" * 3000, title="t", author="a" * 500)
    )
    assert len(post.external_id) == 500
    assert len(post.url) == 2000
    assert len(post.author) == 200
