"""Source kinds: each collector registered once, built-in or not, in COLLECTORS."""

from collectors.base import Batch, Collector, Post, SourceError
from collectors.files import FileCollector
from collectors.imap import ImapCollector
from collectors.reddit import RedditCollector
from collectors.rss import RssCollector

COLLECTORS: dict[str, type] = {
    RssCollector.kind: RssCollector,
    FileCollector.kind: FileCollector,
    RedditCollector.kind: RedditCollector,
    ImapCollector.kind: ImapCollector,
}

__all__ = ["COLLECTORS", "Batch", "Collector", "Post", "SourceError"]
