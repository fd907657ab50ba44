"""Alert messages for chat robots: every text that came from outside is made inert.

Post titles and bodies, their URLs, top terms, topic keys and source names reach a chat
message; each platform interprets some markup in the message text, so each is escaped for
the platform it goes to, and only our own markup stays active:

- Slack (`text`, mrkdwn): `&`, `<` and `>` become `&amp;`, `&lt;`, `&gt;` (Slack's own rule),
  so `<!channel>`, `<!here>`, `<@U123>` and masked links `<url|text>` show as typed. Our own
  markup: the severity in bold and each post's URL as an explicit `<url>` link.
- DingTalk, WeCom, Feishu/Lark (all sent as their plain `text` message type, never markdown,
  so no image is ever fetched): DingTalk mentions only whom the `at` field names (we send
  none), but WeCom text reads `<@userid>`, Feishu text reads `<at user_id="all">` and renders
  `[text](url)` links. Robot texts decode no HTML entities, so `&lt;` would show as typed:
  instead `@ < > [ ] &` become their full-width forms (＠ ＜ ＞ ［ ］ ＆). A reader sees
  the same characters; no parser sees a mention, a tag or a link. Full-width rather than a
  zero-width space: an invisible character is dropped by clients and text normalisers (and
  by our own), it survives copy and paste into another message as a live mention again, and
  it hides from the reader that the text was changed.

URLs are kept clickable: only http(s) URLs are linked, with every character outside RFC 3986's
set (spaces, quotes, `< > [ ] { } | \\ ^` and backquotes) percent-encoded, so a URL can
neither close our link nor open markup of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# Robot text messages: what any of DingTalk, WeCom or Feishu reads as a mention, tag or link.
_ROBOT_INERT = str.maketrans({"@": "＠", "<": "＜", ">": "＞", "[": "［", "]": "］", "&": "＆"})
_SLACK_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# RFC 3986 reserved and unreserved characters, and `%` of escapes already in the URL.
_URL_SAFE = "-._~:/?#!$&'()*+,;=%@"
EXCERPT_CHARACTERS = 120


def robot_text(text: str) -> str:
    """Text from outside, inert in DingTalk, WeCom and Feishu text messages."""
    return text.translate(_ROBOT_INERT)


def slack_text(text: str) -> str:
    """Text from outside, inert in Slack mrkdwn (Slack's escaping of & < >)."""
    return text.translate(_SLACK_INERT)


def safe_url(url: str) -> str | None:
    """An http(s) URL with every character that could start markup percent-encoded; else None."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    return quote(url, safe=_URL_SAFE)


@dataclass(frozen=True)
class Markup:
    """How one receiver is written: outside text escaped, URLs linked, our header marked."""

    text: Callable[[str], str]
    link: Callable[[str], str]
    header: Callable[[str], str] = str


def _plain_link(url: str) -> str:
    return url


def _robot_link(url: str) -> str:
    # A bare URL: robot clients link it themselves; a non-http one is only shown, inert.
    return safe_url(url) or robot_text(url)


def _slack_link(url: str) -> str:
    safe = safe_url(url)
    return f"<{slack_text(safe)}>" if safe else slack_text(url)


PLAIN = Markup(str, _plain_link)  # e-mail and our own JSON: read as text, never interpreted
ROBOT = Markup(robot_text, _robot_link)
SLACK = Markup(slack_text, _slack_link, header=lambda text: f"*{text}*")


def message_text(alert: Mapping[str, Any], markup: Markup = PLAIN) -> str:
    """A message: what, how bad, and why (topics, terms, posts, channels), written for `markup`."""
    details = alert.get("details") or {}
    text = markup.text

    def joined(values: Any) -> str:
        return text(", ".join(str(value) for value in values))

    header = markup.header(f"[{alert['severity'].upper()}]")
    lines = [f"{header} {text(str(alert['kind']))}: {text(str(alert['title']))}"]
    if details.get("spiking_topics"):
        lines.append("topics: " + joined(details["spiking_topics"]))
    if details.get("terms"):
        lines.append("top terms: " + joined(entry["term"] for entry in details["terms"]))
    if details.get("channels"):
        lines.append("channels: " + joined(f"{k} {v}" for k, v in details["channels"].items()))
    quoted = [(f"({post['reach']}) ", post) for post in details.get("top_posts", [])]
    if details.get("url") or details.get("text"):
        quoted.append(("", details))
    for prefix, post in quoted:
        # Cut before escaping: an escape cut in half would leave its start active.
        excerpt = text(str(post.get("text") or "")[:EXCERPT_CHARACTERS])
        url = markup.link(str(post["url"])) if post.get("url") else ""
        lines.append(f"- {prefix}{excerpt} {url}".rstrip())
    lines.append(f"alert {alert['id']} · {text(str(alert['dedupe_key']))}")
    return "\n".join(lines)


def webhook_body(kind: str, alert: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body each receiver expects: ours in full, or a robot's plain text message."""
    if kind == "slack":
        return {"text": message_text(alert, SLACK)}
    if kind in ("dingtalk", "wecom", "feishu"):
        text = message_text(alert, ROBOT)
        if kind == "dingtalk":
            # Mentions in DingTalk come from this field alone: nobody, whatever the text says.
            return {"msgtype": "text", "text": {"content": text}, "at": {"isAtAll": False}}
        if kind == "wecom":
            return {"msgtype": "text", "text": {"content": text}}
        return {"msg_type": "text", "content": {"text": text}}
    opened = alert["opened_at"]
    return {
        "id": alert["id"], "kind": alert["kind"], "key": alert["dedupe_key"],
        "severity": alert["severity"], "title": alert["title"],
        "opened_at": opened.isoformat() if hasattr(opened, "isoformat") else opened,
        "details": alert["details"], "text": message_text(alert),
    }  # fmt: skip
