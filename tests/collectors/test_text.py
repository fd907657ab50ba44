"""HTML and hostile strings reduced to plain text, by example and by property."""

from __future__ import annotations

import time
import unicodedata
import warnings
from datetime import timedelta

from feedparser import FeedParserDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.base import MAX_BODY_CHARS, Post
from collectors.rss import post_from_entry
from collectors.text import body_from_markup, clean_text, html_to_text

# Pieces of markup a hostile or broken post is made of, mixed with arbitrary text.
MARKUP_PIECES = (
    "<p> </p> <br> <br/> <b> </b> <li> </a> <style> </style> <script> </script> <textarea> "
    "<title> <svg> <!-- --> <![CDATA[ ]]> &amp; &lt; &gt; &#60; &nbsp; &bogus; < > \" ' = /"
).split() + ["<div class='x'>", '<a href="/t/1">', "<!DOCTYPE html>", "\n", " ", "\x00"]
# Tags that open and close properly, around text that spells no "<", ">" or "&".
WELL_FORMED_TAGS = "<p> </p> <br> <b> </b> <script> </script> <style> </style> </a>".split() + [
    '<a href="/x">'
]
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
markup = st.lists(st.one_of(st.sampled_from(MARKUP_PIECES), st.text(max_size=10)), max_size=25).map(
    "".join
)
hostile = st.one_of(any_text, markup)
# Markup whose text has no stray "<": a stray "<?" or "<!x" opens a bogus comment that, as in
# browsers, ends at the next ">", which may be a script's own tag (its content is then text).
tag_soup = st.lists(
    st.one_of(
        st.sampled_from([p for p in MARKUP_PIECES if p != "<"]),
        st.text(
            alphabet=st.characters(blacklist_characters="<", blacklist_categories=("Cs",)),
            max_size=10,
        ),
    ),
    max_size=25,
).map("".join)
SENTINEL = "PAYLOAD_7f3c"
QUIET = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_script_style_and_their_contents_are_dropped():
    html = "<p>Hello</p><script>var secret = 1;</script><style>p{color:red}</style>world"
    assert html_to_text(html) == "Hello\nworld"


def test_entities_are_decoded():
    assert html_to_text("Fish &amp; chips &lt;3 &#8364;5&nbsp;only &ldquo;ok&rdquo;") == (
        "Fish & chips <3 €5 only “ok”"
    )


def test_block_elements_become_lines_and_inline_ones_do_not():
    html = "<h1>Title</h1><div>one <b>bold</b> <i>word</i></div><ul><li>a</li><li>b</li></ul>x<br>y"
    assert html_to_text(html).splitlines() == ["Title", "one bold word", "a", "b", "x", "y"]


def test_comments_doctype_and_head_are_dropped():
    html = "<!DOCTYPE html><html><head><title>t</title></head><body>a<!-- hidden -->b</body></html>"
    assert html_to_text(html) == "ab"


def test_cdata_section_does_not_smuggle_script_text_into_the_body():
    # html.parser hands "<![CDATA[...]]>" over as a CData string; it is not text a reader sees.
    assert "steal()" not in html_to_text("Nice<![CDATA[<script>steal()</script>]]> phone")


def test_unterminated_comment_does_not_turn_a_script_into_text():
    # An HTML5 parser ends an unterminated comment at the end of input: all of it is comment.
    assert "steal()" not in html_to_text("Nice phone<!-- <script>steal()</script>")


def test_plain_text_with_lone_angle_brackets_is_left_as_it_is():
    assert body_from_markup("price < 100 and quality > 3") == ("price < 100 and quality > 3", None)


def test_body_from_markup_keeps_the_raw_html_beside_the_text():
    raw = "<p>Broken <b>again</b></p>"
    assert body_from_markup(raw) == ("Broken again", raw)


def test_clean_text_caps_long_text_with_an_ellipsis():
    capped = clean_text("好" * (MAX_BODY_CHARS + 500))
    assert capped == "好" * MAX_BODY_CHARS + " …"


def test_clean_text_drops_control_characters_and_keeps_line_breaks():
    assert (
        clean_text("bad\x00 \x07product\x1b\r\nsecond\u200b line\x7f") == "bad product\nsecond line"
    )


def test_clean_text_collapses_whitespace_and_drops_blank_lines():
    assert clean_text("  a \t  b  \n\n   \n c\u3000d  ") == "a b\nc d"


def test_clean_text_normalises_to_composed_characters():
    assert clean_text("cafe\u0301") == "café"


def test_html_with_a_megabyte_of_text_is_capped():
    text = html_to_text("<p>" + "spam " * 200_000 + "</p>")
    assert len(text) <= MAX_BODY_CHARS + 2 and text.endswith("…")


@QUIET
@given(hostile)
def test_html_to_text_never_raises_and_returns_clean_capped_text(value):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 warns about input that looks like XML or a URL
        text = html_to_text(value)
    assert isinstance(text, str)
    assert len(text) <= MAX_BODY_CHARS + 2
    assert not any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text)
    assert all(line == line.strip() and line for line in text.split("\n")) or text == ""


@QUIET
@given(hostile)
def test_body_from_markup_never_raises_and_keeps_raw_html_only_for_markup(value):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text, raw = body_from_markup(value)
    assert isinstance(text, str)
    assert raw is None or raw == value
    assert clean_text(text) == text


@QUIET
@given(before=tag_soup, after=tag_soup)
def test_script_element_contents_never_reach_the_text(before, after):
    # The literal "<script" may rightly appear in text (a post that writes "&lt;script&gt;"
    # talks about a tag); what must never appear is what a script element contains.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text, _ = body_from_markup(f"{before}<script>{SENTINEL}</script>{after}")
    assert SENTINEL not in text


@QUIET
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WELL_FORMED_TAGS),
            st.text(
                alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",))
            ),
        )
    ).map("".join)
)
def test_well_formed_tags_around_text_never_leave_script_markup(value):
    text, _ = body_from_markup(value)
    assert "<script" not in text.lower()


struct_times = st.tuples(st.integers(-5000, 300_000), *[st.integers(-100, 100)] * 8).map(
    time.struct_time
)
contents = st.lists(
    st.fixed_dictionaries(
        {"value": hostile}, optional={"type": st.sampled_from(["text/html", "text/plain"])}
    ),
    max_size=3,
)
entries = st.fixed_dictionaries(
    {},
    optional={
        "id": any_text,
        "link": any_text,
        "title": hostile,
        "summary": hostile,
        "author": any_text,
        "content": contents,
        "published_parsed": struct_times,
        "updated_parsed": struct_times,
        "created_parsed": struct_times,
        "slash_comments": st.one_of(any_text, st.integers().map(str)),
    },
).map(FeedParserDict)


@QUIET
@given(entries)
def test_post_from_entry_never_raises_on_feedparser_shaped_entries(entry):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        post = post_from_entry(entry)
    if post is None:
        return
    assert isinstance(post, Post)
    assert post.body or post.title
    assert len(post.external_id) <= 500 and len(post.url) <= 2000 and len(post.author) <= 200
    if post.published_at is not None:
        assert post.published_at.utcoffset() == timedelta(0)
