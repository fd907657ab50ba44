"""Properties of the normalisers and the date reader over arbitrary (hostile) input."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.base import MAX_BODY_CHARS
from collectors.feed_bytes import PERSON_FIELD_CHARS, safe_feed
from collectors.files import _parse_date
from collectors.text import (
    body_from_markup,
    clean_text,
    drop_invisible,
    html_to_text,
    plainly_printable,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALLOWED_FORMAT = {"\u200c", "\u200d", *map(chr, range(0xE0020, 0xE0080))}
# Text as posts carry it: any code point, with the invisible and joining ones made likely.
TRICKY = "\u200b\u200c\u200d\u200e\u202a\u202e\u2066\u2069\ufeff\ufe0f\u00ad\x00\x1b\r\u2028 \n\t"
hostile_text = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from(list(TRICKY) + ["👩", "💻", "🏴", "क"])),
    max_size=300,
)
markup = st.lists(
    st.one_of(
        hostile_text,
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<br>",
                "<script>",
                "</script>",
                "<!--",
                "-->",
                "&amp;",
                "&#0;",
                "&#x202e;",
                "<![CDATA[",
                "]]>",
                "<b",
                ">",
                "<div><li>",
                "&nbsp;",
                "<style>",
            ]
        ),  # fmt: skip
    ),
    max_size=30,
).map("".join)


def has_no_stray_controls(text: str) -> bool:
    """Only newlines, tabs and the joining format characters among categories C."""
    return all(
        ch in "\n\t" or ch in ALLOWED_FORMAT or unicodedata.category(ch)[0] != "C" for ch in text
    )


@SETTINGS
@given(hostile_text)
def test_clean_text_is_bounded_free_of_controls_and_idempotent(text):
    cleaned = clean_text(text)
    assert len(cleaned) <= MAX_BODY_CHARS + 2
    assert has_no_stray_controls(cleaned)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip() and "\n\n" not in cleaned


@SETTINGS
@given(hostile_text)
def test_a_plainly_printable_text_has_nothing_invisible_to_drop(text):
    # clean_text skips the per-character pass for such texts: it must be a no-op on them.
    if plainly_printable(text):
        assert drop_invisible(text) == text


def test_texts_with_invisible_characters_are_not_plainly_printable():
    for ch in "\x00\r\u200b\u200d\u202e\ufeff\U000e0041\ue000\U0010ffff":
        assert not plainly_printable(f"ok{ch}ok")
    assert plainly_printable("退款\n慢\t, but fine 👩💻")


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=5), st.integers(MAX_BODY_CHARS - 5, MAX_BODY_CHARS + 50))
def test_a_cut_text_stays_as_it_is_when_cleaned_again(piece, repeat):
    cleaned = clean_text(piece * (repeat // len(piece) + 1))
    assert len(cleaned) <= MAX_BODY_CHARS + 2 and clean_text(cleaned) == cleaned


@SETTINGS
@given(markup)
def test_html_to_text_never_raises_and_gives_clean_bounded_text(html):
    text = html_to_text(html)
    assert len(text) <= MAX_BODY_CHARS + 2
    assert has_no_stray_controls(text) and "\u202e" not in text
    assert clean_text(text) == text


@SETTINGS
@given(markup, st.booleans())
def test_body_from_markup_never_raises_and_keeps_the_raw_html_only_for_markup(value, literal):
    text, html = body_from_markup(value, keep_literal=literal)
    assert len(text) <= MAX_BODY_CHARS + 2 and has_no_stray_controls(text)
    assert html is None or html == value
    assert clean_text(text) == text


date_like = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"\A[0-9]{1,20}\Z"),
    st.from_regex(r"\A[0-9]{1,6}[-/.][0-9]{1,3}[-/.][0-9]{1,6}( [0-9]{1,2}:[0-9]{2})?\Z"),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?\Z"),
    st.sampled_from(["9999-12-31 23:59:59", "0001-01-01", "1e308", "nan", "-1", "24:00"]),
)


@SETTINGS
@given(
    date_like,
    st.sampled_from(["UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati"]),
)
def test_the_date_reader_raises_only_value_or_overflow_errors_and_returns_aware_utc(text, zone):
    try:
        moment = _parse_date(text, ZoneInfo(zone))
    except (ValueError, OverflowError):
        return
    assert isinstance(moment, datetime)
    assert moment.utcoffset() == timedelta(0) and moment.tzinfo is UTC


iso_dates = st.one_of(
    st.from_regex(
        r"\A\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?([+-]\d{2}:?\d{2}|Z)?\Z"
    ),
    st.datetimes(timezones=st.none() | st.timezones()).map(datetime.isoformat),
)


@SETTINGS
@given(iso_dates, st.sampled_from(["UTC", "Asia/Shanghai", "America/Los_Angeles"]))
def test_an_iso_date_is_read_as_dateutil_reads_it(text, zone):
    # ISO dates are read in C, the rest by dateutil: the fast reading must be dateutil's.
    try:
        expected = date_parser.parse(text)
        if expected.tzinfo is None:
            expected = expected.replace(tzinfo=ZoneInfo(zone))
        expected = expected.astimezone(UTC)
    except (ValueError, OverflowError):
        return
    assert _parse_date(text, ZoneInfo(zone)) == expected


feed_parts = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<author>",
                "</author>",
                "<dc:creator>",
                "<title>",
                "</title>",
                "<![CDATA[",
                "]]>",
                "<!--",
                "-->",
                "&amp;",
                "&",
                "<link/>",
                "<item>",
                "</item>",
                "<name a='1'>",
            ]
        ),  # fmt: skip
        st.text(alphabet="a@.< >&;]", max_size=40),
        st.integers(0, 3_000).map(lambda n: "a" * n),
    ),
    max_size=25,
).map("".join)


@SETTINGS
@given(feed_parts, st.sampled_from([None, "utf-8", "gbk", "latin-1", "bogus"]))
def test_bounding_a_feed_never_raises_and_gives_utf8_with_short_authors(body, charset):
    document = f"<rss><channel>{body}</channel></rss>".encode()
    safe, warnings = safe_feed(document, charset)
    text = safe.decode("utf-8")
    assert len(text) <= len(document.decode("utf-8", "replace")) + 200
    assert all(isinstance(warning, str) for warning in warnings)
    if "<author>" not in body or "<![CDATA[" in body or "<!--" in body:
        return
    for piece in text.split("<author>")[1:]:
        # A field cut inside another element's CDATA keeps that section's "]]>".
        assert len(piece.split("<", 1)[0]) <= PERSON_FIELD_CHARS + len("]]>")
