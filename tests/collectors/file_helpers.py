"""Helpers shared by the file collector tests: read a file the way the runner does."""

from __future__ import annotations

from collectors.files import FileCollector, FileSettings

JD_COLUMNS = {
    "id": "评论ID",
    "author": "用户昵称",
    "text": "评价内容",
    "rating": "评分",
    "published_at": "评价时间",
    "url": "商品链接",
}


def read(path, state=None, **settings):
    """Every batch of the file, each batch's warnings copied as it was handed over."""
    collector = FileCollector(FileSettings(path=str(path), **settings))
    return [(batch, list(batch.warnings)) for batch in collector.fetch(state or {})]


def posts_of(batches):
    """Every post of every batch, in order."""
    return [post for batch, _ in batches for post in batch.posts]


def ids_of(batches):
    """External ids of every post, in order."""
    return [post.external_id for post in posts_of(batches)]


def warnings_of(batches):
    """Every warning of every batch, in order."""
    return [warning for _, warnings in batches for warning in warnings]


def last_state(batches):
    """The checkpoint after the last batch."""
    return batches[-1][0].state


def write_lines(path, lines):
    """Write lines as a UTF-8 file and return its path."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return path


def append_lines(path, lines):
    """Append lines, as an export that grew."""
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(lines) + "\n")
