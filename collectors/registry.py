"""The built-in source kinds by name (imported only by what runs or configures sources)."""

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
