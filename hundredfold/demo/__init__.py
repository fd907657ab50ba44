"""The bundled demo: template-built posts about the fictional brand Aurora Home, as source files."""

from __future__ import annotations

import csv
import datetime
import json
import re
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

DEMO_BRAND_TERMS = ["Aurora", "极光", "X1", "P3", "K2"]
DEMO_PRODUCTS = {
    "X1 robot vacuum": ["X1", "扫地机"],
    "P3 air purifier": ["P3", "净化器"],
    "K2 smart kettle": ["K2", "水壶"],
}

POSTS_FILE = Path(__file__).with_name("posts.jsonl")
FORUM_SITE = "https://forum.aurora-home.example"
SOCIAL_SITE = "https://social.example"
SHOP_ITEMS = {
    "X1": "https://mall.aurora-home.example/item/100038215501.html",
    "P3": "https://mall.aurora-home.example/item/100038215502.html",
    "K2": "https://mall.aurora-home.example/item/100038215503.html",
}
REVIEW_COLUMNS = {
    "id": "评价ID",
    "text": "评价内容",
    "author": "用户昵称",
    "published_at": "评价时间",
    "rating": "评分",
    "url": "商品链接",
}
REVIEW_TIMEZONE = "Asia/Shanghai"
NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "atom": "http://www.w3.org/2005/Atom",
}
# Characters XML 1.0 forbids anywhere, even inside CDATA.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def load_demo_posts() -> list[dict]:
    """The bundled demo posts as dicts, in file order (oldest first)."""
    with POSTS_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_demo_sources(
    directory: Path, now: datetime.datetime, limit: int | None = None
) -> list[dict]:
    """Write forum.xml, social.xml and reviews.csv into `directory`; return their [[source]] tables.

    Each post is dated `now` minus its `minutes_ago`, so the newest post is "now" at demo time.
    `limit` keeps a spread sample of that many posts (all three sources and, from about a
    dozen posts up, part of the refund incident) for fast tests.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=datetime.UTC)
    now = now.astimezone(datetime.UTC)
    posts = _sample(load_demo_posts(), limit)
    for post in posts:
        post["published_at"] = now - datetime.timedelta(minutes=post["minutes_ago"])
    posts.sort(key=lambda post: post["published_at"], reverse=True)  # feeds list newest first
    by_source = {
        source: [p for p in posts if p["source"] == source]
        for source in ("forum", "reviews", "social")
    }
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    forum_path = directory / "forum.xml"
    social_path = directory / "social.xml"
    csv_path = directory / "reviews.csv"
    forum_path.write_text(_forum_rss(by_source["forum"], now), encoding="utf-8")
    social_path.write_text(_social_atom(by_source["social"], now), encoding="utf-8")
    _write_reviews(csv_path, by_source["reviews"])
    return [
        {"name": "demo-forum", "kind": "rss", "channel": "forum", "url": str(forum_path)},
        {
            "name": "demo-reviews",
            "kind": "file",
            "channel": "review",
            "path": str(csv_path),
            "columns": dict(REVIEW_COLUMNS),
            "timezone": REVIEW_TIMEZONE,
        },
        {"name": "demo-social", "kind": "rss", "channel": "social", "url": str(social_path)},
    ]


def _sample(posts: list[dict], limit: int | None) -> list[dict]:
    """Every k-th post, counted within (incident, source) groups, so a sample keeps the mix."""
    if limit is None or limit >= len(posts):
        return posts
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    ordered = sorted(posts, key=lambda p: (p.get("incident", False), p["source"], p["minutes_ago"]))
    step = len(ordered) / limit
    return [ordered[int(step * index + step / 2)] for index in range(limit)]


def _xml_text(value: str) -> str:
    """Text escaped for an XML element body."""
    return escape(_NOT_XML.sub("", value))


def _cdata(value: str) -> str:
    """A CDATA section; a "]]>" inside is split across two sections so it cannot end it early."""
    return "<![CDATA[" + _NOT_XML.sub("", value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _rfc3339(moment: datetime.datetime) -> str:
    """UTC time as Atom writes it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _forum_rss(posts: list[dict], now: datetime.datetime) -> str:
    """A Discourse-like RSS 2.0 "latest topics" feed with the cooked HTML in content:encoded."""
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<rss version="2.0" {namespaces}>',
        "<channel>",
        "<title>极光家居用户社区 Aurora Home Community - Latest topics</title>",
        f"<link>{FORUM_SITE}/latest</link>",
        "<description>Latest topics</description>",
        f"<lastBuildDate>{format_datetime(now)}</lastBuildDate>",
        f'<atom:link href="{FORUM_SITE}/latest.rss" rel="self" type="application/rss+xml"/>',
    ]
    for post in posts:
        topic_url = f"{FORUM_SITE}/t/{post['id']}"
        lines += [
            "<item>",
            f"<title>{_xml_text(post['title'])}</title>",
            f"<dc:creator>{_xml_text(post['author'])}</dc:creator>",
            f"<link>{topic_url}</link>",
            f"<pubDate>{format_datetime(post['published_at'])}</pubDate>",
            f'<guid isPermaLink="false">forum.aurora-home.example-topic-{post["id"]}</guid>',
            f"<slash:comments>{int(post.get('comments', 0))}</slash:comments>",
            f"<content:encoded>{_cdata(post['body'])}</content:encoded>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines)


def _social_atom(posts: list[dict], now: datetime.datetime) -> str:
    """A Mastodon-tag-like Atom feed; the text goes in content type="text", escaped."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<feed xmlns="{NAMESPACES["atom"]}" xmlns:slash="{NAMESPACES["slash"]}">',
        f"<id>{SOCIAL_SITE}/tags/AuroraHome</id>",
        "<title>#AuroraHome</title>",
        f"<updated>{_rfc3339(now)}</updated>",
        f'<link rel="self" type="application/atom+xml" href="{SOCIAL_SITE}/tags/AuroraHome.atom"/>',
        f'<link rel="alternate" type="text/html" href="{SOCIAL_SITE}/tags/AuroraHome"/>',
    ]
    for post in posts:
        profile = f"{SOCIAL_SITE}/@{quote(post['author'])}"
        status_url = f"{profile}/{post['id']}"
        text = post["body"]
        stamp = _rfc3339(post["published_at"])
        lines += [
            "<entry>",
            f"<id>{status_url}</id>",
            f"<title>{_xml_text(' '.join(text.split())[:60])}</title>",
            f'<link rel="alternate" type="text/html" href={quoteattr(status_url)}/>',
            f"<author><name>{_xml_text(post['author'])}</name><uri>{_xml_text(profile)}</uri></author>",
            f"<published>{stamp}</published>",
            f"<updated>{stamp}</updated>",
            # Replies count, in the slash module Atom readers (feedparser) already understand.
            f"<slash:comments>{int(post.get('comments', 0))}</slash:comments>",
            f'<content type="text">{_xml_text(text)}</content>',
            "</entry>",
        ]
    lines += ["</feed>", ""]
    return "\n".join(lines)


def _write_reviews(path: Path, posts: list[dict]) -> None:
    """A JD-style review export: Chinese headers, UTF-8 with BOM, Beijing local time."""
    zone = ZoneInfo(REVIEW_TIMEZONE)
    # The BOM is what makes Excel on Windows open a UTF-8 export without mojibake.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REVIEW_COLUMNS.values())
        for post in posts:
            writer.writerow(
                [
                    post["id"],
                    post["body"],
                    post["author"],
                    post["published_at"].astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                    post.get("rating", ""),
                    SHOP_ITEMS.get(post.get("product", ""), SHOP_ITEMS["X1"]),
                ]
            )
