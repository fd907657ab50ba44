"""What a post may hold when it reaches the database: numbers in range, text the drivers take.

Applied once, in storage, to every post from every collector: a value no column can hold
(a score past 32 bits, a rating of NaN, a NUL byte PostgreSQL rejects, a lone surrogate no
driver can encode) would otherwise fail the whole batch it came in.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from collectors.base import MAX_BODY_HTML_CHARS, Post

# The reach columns are INTEGER (32 bits on PostgreSQL): a larger count is a lie or an attack.
MAX_COUNT = 2_000_000_000
MAX_RATING = 1_000_000.0  # star ratings, NPS, percentages: all far below
MAX_AUTHOR_CHARS = 200  # the width of posts.author
TEXT_FIELDS = ("title", "body", "author", "url")


def bounded_count(value: int | None, lowest: int = 0) -> int | None:
    """A count clamped into what the column holds (`lowest` is negative for vote scores)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = int(value)
    return max(lowest, min(MAX_COUNT, value))


def bounded_rating(value: float | None) -> float | None:
    """A finite rating within +-MAX_RATING, else none."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return max(-MAX_RATING, min(MAX_RATING, value))


def storable_text(text: str) -> str:
    """`text` without NUL bytes (PostgreSQL text cannot hold them) and with each lone
    surrogate (unencodable in UTF-8) replaced by U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def bounded_post(post: Post) -> Post:
    """The post with every value a column can store; its identity (external ids) untouched.

    An identity is never rewritten: two posts would merge. A post whose id no column can
    hold is quarantined instead (data/quarantine.py).
    """
    texts = {name: storable_text(getattr(post, name) or "") for name in TEXT_FIELDS}
    texts["author"] = texts["author"][:MAX_AUTHOR_CHARS]
    html = post.body_html
    if html is not None:
        html = storable_text(html[:MAX_BODY_HTML_CHARS])
    values: dict[str, Any] = {
        **texts,
        "body_html": html,
        "score": bounded_count(post.score, lowest=-MAX_COUNT),
        "comments": bounded_count(post.comments),
        "followers": bounded_count(post.followers),
        "rating": bounded_rating(post.rating),
    }
    if all(getattr(post, name) == value for name, value in values.items()):
        return post  # the usual case: nothing to change, no copy
    return dataclasses.replace(post, **values)
