"""The support mailbox over IMAP (imaplib): new messages by UID, text bodies in any charset."""

from __future__ import annotations

import base64
import contextlib
import imaplib
import re
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from collectors.base import Batch, SourceError, setting, utc
from collectors.imap_messages import post_from_message
from collectors.retry import ATTEMPTS, TransientError, retrying

MESSAGE_BATCH = 50  # messages per batch: one FETCH, one checkpoint
UID_WINDOW = 20_000  # UIDs searched at once: imaplib refuses answer lines over 1 MB
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
    smtp_host: str = setting("", help="SMTP server replies are sent through; empty: not from here")
    smtp_port: int = setting(0, help="SMTP port; 0 means 587 with STARTTLS, 25 without")
    smtp_tls: bool = setting(True, help="STARTTLS before logging in; false only for a local test")
    smtp_user: str = setting("", help="SMTP login; empty: the IMAP `user`")
    smtp_password: str = setting("", help='as { env = "SMTP_PASSWORD" }; empty: the IMAP one')
    reply_from: str = setting("", help='From of replies, "Acme <support@acme.cn>"; empty: user')


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
