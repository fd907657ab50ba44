"""The support mailbox over IMAP (imaplib): new messages by UID, text bodies in any charset."""

from __future__ import annotations

import base64
import contextlib
import email.errors
import email.header
import email.utils
import imaplib
import re
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, ClassVar

from collectors.base import Batch, Post, SourceError, setting, utc
from collectors.retry import ATTEMPTS, TransientError, retrying
from collectors.text import clean_text, html_to_text

MESSAGE_BATCH = 50  # messages per batch: one FETCH, one checkpoint
UID_WINDOW = 20_000  # UIDs searched at once: imaplib refuses answer lines over 1 MB
# Labels mailers put on text that is really in a superset: read by the label alone, the
# characters outside it (the 喆 of 王喆, Hong Kong names) would come out as U+FFFD.
CHARSET_SUPERSETS = (
    dict.fromkeys(("gb2312", "gb_2312-80", "euc-cn", "gbk", "x-gbk", "cp936"), "gb18030")
    | dict.fromkeys(("big5", "x-big5", "cn-big5"), "big5hkscs")
    | {"ks_c_5601-1987": "cp949", "euc-kr": "cp949", "shift_jis": "cp932"}
)
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_INTERNALDATE = re.compile(rb'\bINTERNALDATE "([^"]+)"')


@dataclass(frozen=True)
class ImapSettings:
    """Config schema of an `imap` source."""

    host: str = setting(help="IMAP server, e.g. imap.example.com")
    user: str = setting(help="mailbox login")
    password: str = setting(help='mailbox password, as { env = "SUPPORT_MAIL_PASSWORD" }')
    port: int = setting(0, help="server port; 0 means 993 with TLS, 143 without")
    tls: bool = setting(True, help="IMAP over TLS (IMAPS); false only for a local test server")
    folder: str = setting("INBOX", help="the folder read")
    search: str = setting("ALL", help='IMAP SEARCH criterion, e.g. "UNSEEN" or "TO a@b.cn"')
    timeout: float = setting(30.0, help="seconds before a silent server is given up on")
    max_bytes: int = setting(1_000_000, help="bytes read of each message; the rest is skipped")
    retry_wait: float = setting(1.0, help="seconds before retrying a refused or dropped connection")


class ImapCollector:
    """Reads new messages of one folder, read-only: nothing is marked as seen or moved."""

    kind: ClassVar[str] = "imap"
    default_channel: ClassVar[str] = "email"
    Settings: ClassVar[type] = ImapSettings

    def __init__(self, settings: ImapSettings):
        self.settings = settings
        if not settings.search.isascii():
            raise SourceError("imap: `search` must be ASCII (IMAP sends criteria as 7-bit text)")

    def fetch(self, state: Mapping[str, Any]) -> Iterator[Batch]:
        """Yield messages with a UID above the cursor, oldest first, in batches of 50."""
        folder = self.settings.folder
        connection = self._connect()
        try:
            uidvalidity, uidnext = self._select(connection)
            warnings, last_uid = [], int(state.get("last_uid") or 0)
            if state.get("uidvalidity") not in (None, uidvalidity):
                # The server renumbered the folder: old UIDs mean nothing any more.
                warnings.append(f"{folder}: UIDVALIDITY changed, the folder is read again")
                last_uid = 0
            for first, last in _uid_windows(last_uid + 1, uidnext):
                uids = self._new_uids(connection, first, last)
                for start in range(0, len(uids), MESSAGE_BATCH):
                    chunk = uids[start : start + MESSAGE_BATCH]
                    posts, problems = self._read(connection, chunk, uidvalidity)
                    checkpoint = {"uidvalidity": uidvalidity, "last_uid": chunk[-1]}
                    yield Batch(posts, checkpoint, warnings + problems)
                    warnings, last_uid = [], chunk[-1]
            if warnings:  # no batch carried them (nothing new)
                yield Batch([], {"uidvalidity": uidvalidity, "last_uid": last_uid}, warnings)
        except (imaplib.IMAP4.error, OSError) as error:  # abort (dropped) is an IMAP4.error
            raise SourceError(f"{self.settings.host}: {folder}: {_reason(error)}") from error
        finally:
            with contextlib.suppress(
                imaplib.IMAP4.error, OSError
            ):  # gone already: nothing to close
                connection.logout()

    def _connect(self) -> imaplib.IMAP4:
        """A logged-in connection; refused or dropped connections are retried, logins not."""
        settings = self.settings
        port = settings.port or (993 if settings.tls else 143)

        def open_connection() -> imaplib.IMAP4:
            host, timeout = settings.host, settings.timeout
            try:
                if not settings.tls:
                    return imaplib.IMAP4(host, port, timeout=timeout)
                context = ssl.create_default_context()
                return imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
            except ssl.SSLCertVerificationError as error:  # no retry heals a certificate
                raise SourceError(f"{settings.host}:{port}: {error.verify_message}") from error
            except (OSError, imaplib.IMAP4.abort) as error:
                reason = _reason(error)
                raise TransientError(f"cannot reach {settings.host}:{port}: {reason}") from error

        try:
            connection = retrying(settings.retry_wait)(open_connection)
        except TransientError as error:
            raise SourceError(f"{error} (after {ATTEMPTS} attempts)") from error
        try:
            connection.login(settings.user, settings.password)
        except (imaplib.IMAP4.error, UnicodeEncodeError) as error:
            connection.shutdown()
            raise SourceError(
                f"IMAP login refused for {settings.user!r} at {settings.host}: {_reason(error)}"
            ) from error
        return connection

    def _select(self, connection: imaplib.IMAP4) -> tuple[int, int]:
        """Open the folder read-only (EXAMINE): its UIDVALIDITY and UIDNEXT (0 if unknown)."""
        status, data = connection.select(_mailbox_name(self.settings.folder), readonly=True)
        if status != "OK":
            raise SourceError(f"folder {self.settings.folder!r}: {_reason(data)}")
        (_, validity), (_, uidnext) = map(connection.response, ("UIDVALIDITY", "UIDNEXT"))
        return int(validity[0] or 0), int(uidnext[0] or 0)  # absent: [None]

    def _new_uids(self, connection: imaplib.IMAP4, first: int, last: int | None) -> list[int]:
        """UIDs from `first` to `last` (None: the newest) matching the criterion, ascending."""
        uid_range = f"UID {first}:{last or '*'}"
        status, data = connection.uid("SEARCH", uid_range, f"({self.settings.search})")
        if status != "OK":
            raise SourceError(f"search {self.settings.search!r}: {_reason(data)}")
        # "N:*" always matches the highest UID, even one below N: filter by value.
        return sorted(uid for uid in map(int, (data[0] or b"").split()) if uid >= first)

    def _read(self, connection: imaplib.IMAP4, uids: list[int], uidvalidity: int) -> Any:
        """Posts and warnings for a few UIDs, fetched without setting \\Seen (BODY.PEEK)."""
        limit = self.settings.max_bytes
        query = f"(UID RFC822.SIZE INTERNALDATE BODY.PEEK[]<0.{limit}>)"
        status, data = connection.uid("FETCH", ",".join(map(str, uids)), query)
        if status != "OK":
            raise SourceError(f"fetch: {_reason(data)}")
        posts, warnings = [], []
        for index, item in enumerate(data):
            if not isinstance(item, tuple):
                continue
            # Servers put UID before or after the literal: read the text on both sides.
            after = data[index + 1] if index + 1 < len(data) else b""
            meta = item[0] + (after if isinstance(after, bytes) else b"")
            uid = _UID.search(meta)
            number = uid.group(1).decode() if uid else "?"
            fallback_id = f"{self.settings.folder}:{uidvalidity}:{number}"
            post, problems = post_from_message(item[1], fallback_id, _internal_date(meta))
            size = _SIZE.search(meta)
            if size and int(size.group(1)) > limit and not (post and post.body):
                problems.append(f"message {fallback_id}: no text in its first {limit:,} bytes")
            warnings += problems
            if post is not None:
                posts.append(post)
        return posts, warnings


def _uid_windows(first: int, uidnext: int) -> Iterator[tuple[int, int | None]]:
    """UID ranges to search, each small enough for imaplib; the last ends at "*" (None)."""
    while uidnext and first + UID_WINDOW < uidnext:
        yield first, first + UID_WINDOW - 1
        first += UID_WINDOW
    yield first, None


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


def _internal_date(meta: bytes) -> datetime | None:
    """When the server received the message (INTERNALDATE), the fallback for a missing Date."""
    found = _INTERNALDATE.search(meta)
    if found is None:
        return None
    try:
        return utc(datetime.strptime(found.group(1).decode(), "%d-%b-%Y %H:%M:%S %z"))
    except ValueError:
        return None


def _mailbox_name(folder: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501 5.1.3), quoted."""

    def utf7(run: re.Match) -> str:
        encoded = base64.b64encode(run.group().encode("utf-16-be")).decode().rstrip("=")
        return "&" + encoded.replace("/", ",") + "-"

    name = re.sub(r"[^\x20-\x7e]+", utf7, folder.replace("&", "&-"))
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reason(error: Any) -> str:
    """The server's words for a failure (imaplib hands them over as bytes), else the error."""
    if isinstance(error, OSError):
        return error.strerror or str(error) or type(error).__name__
    words = error.args[0] if isinstance(error, Exception) and error.args else error
    words = (words or [""])[0] if isinstance(words, list) else words
    text = words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)
    return " ".join(text.split()) or type(error).__name__
