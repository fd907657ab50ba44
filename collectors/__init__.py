"""Source kinds: each collector registered once, built-in or not, in COLLECTORS."""

from collectors.base import Batch, Collector, Post, SourceError
from collectors.files import FileCollector
from collectors.rss import RssCollector

COLLECTORS: dict[str, type] = {
    RssCollector.kind: RssCollector,
    FileCollector.kind: FileCollector,
}

__all__ = ["COLLECTORS", "Batch", "Collector", "Post", "SourceError"]
