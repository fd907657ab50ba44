"""One support mail as a Post: headers and text bodies decoded from whatever charset they use."""

from __future__ import annotations

import email.errors
import email.header
import email.utils
import re
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from collectors.base import Post, utc
from collectors.text import clean_text, html_to_text

# Labels mailers put on text that is really in a superset: read by the label alone, the
# characters outside it (the 喆 of 王喆, Hong Kong names) would come out as U+FFFD.
CHARSET_SUPERSETS = (
    dict.fromkeys(("gb2312", "gb_2312-80", "euc-cn", "gbk", "x-gbk", "cp936"), "gb18030")
    | dict.fromkeys(("big5", "x-big5", "cn-big5"), "big5hkscs")
    | {"ks_c_5601-1987": "cp949", "euc-kr": "cp949", "shift_jis": "cp932"}
)


def post_from_message(
    raw: bytes, fallback_id: str, received_at: datetime | None = None
) -> tuple[Post | None, list[str]]:
    """Turn one RFC 5322 message into a Post (text body, attachments ignored), with warnings."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    # Raw values, as we decode charsets ourselves; the first of a repeated header counts.
    headers = {name.lower(): str(value) for name, value in reversed(list(message.raw_items()))}
    message_id = clean_text(_header_text(headers.get("message-id", ""))).replace(" ", "")
    external_id = message_id[:500] or fallback_id
    title = clean_text(_header_text(headers.get("subject", "")))
    body, body_html, warnings = _body(message)
    warnings = [f"message {external_id}: {problem}" for problem in warnings]
    if not body and not title:
        return None, [*warnings, f"message {external_id}: no subject and no text, skipped"]
    post = Post(
        external_id=external_id,
        title=title,
        body=body,
        body_html=body_html,
        author=_sender(headers.get("from", "")),
        published_at=_date(headers.get("date", "")) or received_at,
    )
    return post, warnings


def _body(message: EmailMessage) -> tuple[str, str | None, list[str]]:
    """(text, raw HTML or None, problems): the plain part, else the HTML part as text."""
    problems: list[str] = []
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is None:
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        text, problem = _decode(data, part.get_content_charset())
        if problem:
            problems.append(f"text/{kind} part: {problem}")
        body = html_to_text(text) if kind == "html" else clean_text(text)
        if body:
            return body, (text if kind == "html" else None), problems
        problems.append(f"text/{kind} part is empty")
    if not problems:
        problems.append("no text part (attachments only, or none)")
    return "", None, problems


def _decode(data: bytes, charset: str | None = None) -> tuple[str, str | None]:
    """Text of bytes in their declared charset, else UTF-8, else GB18030; never raises."""
    label = (charset or "").strip().lower()
    candidates = [CHARSET_SUPERSETS.get(label, label)] if label else []
    candidates += [name for name in ("utf-8", "gb18030") if name not in candidates]
    for index, candidate in enumerate(candidates):
        try:
            text = data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
        if index == 0 or not label:
            return text, None
        return text, f"not readable as {label!r}, read as {candidate}"
    return data.decode("utf-8", "replace"), f"not readable as {label or 'utf-8'!r}, bytes replaced"


def _header_text(value: str) -> str:
    """A header's text: RFC 2047 encoded words in any charset, raw 8-bit bytes too."""
    value = re.sub(r"\r?\n[ \t]+", " ", value)
    if not value.isascii():  # raw 8-bit bytes arrive as surrogate escapes: decode like a body
        return _decode(value.encode("utf-8", "surrogateescape"))[0]
    try:
        chunks = email.header.decode_header(value)
    except (ValueError, LookupError, email.errors.HeaderParseError):  # e.g. broken base64
        return value
    return "".join(
        chunk if isinstance(chunk, str) else _decode(chunk, charset)[0] for chunk, charset in chunks
    )


def _sender(value: str) -> str:
    """'Name <address>' of the From header, the name decoded from any charset."""
    name, address = email.utils.parseaddr(re.sub(r"\r?\n[ \t]+", " ", value))
    name = clean_text(_header_text(name))
    return (f"{name} <{address}>" if name and address else address or name)[:200]


def _date(value: str) -> datetime | None:
    """The Date header as aware UTC, or None when missing or unreadable."""
    try:
        return utc(email.utils.parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError):
        return None
