"""Replies to support mail: an answer in the customer's own thread, sent by SMTP (smtplib)."""

from __future__ import annotations

import email.utils
import re
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import ClassVar

from collectors.imap import ImapSettings
from collectors.replies.base import ReplyTarget, SendFailed, SentReply

# What mailers put before a subject they answer (Outlook's German "AW", Chinese clients' 回复).
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|回复|答复)\s*[:：]\s*)+", re.IGNORECASE)


class MailReplier:
    """Sends replies from `reply_from` through `smtp_host`, threaded under the customer's mail."""

    kind: ClassVar[str] = "imap"

    def __init__(self, settings: ImapSettings, sender: str):
        self.settings = settings
        self.sender = sender

    @classmethod
    def from_settings(cls, settings: ImapSettings) -> MailReplier | None:
        """A replier when an SMTP server and a From address are known, else None."""
        sender = settings.reply_from or settings.user
        if not settings.smtp_host or "@" not in email.utils.parseaddr(sender)[1]:
            return None
        return cls(settings, sender)

    def send(self, target: ReplyTarget, text: str, key: str) -> SentReply:
        """Mail `text` to the author; the Message-ID comes from `key`, so a resend is known."""
        message = self.reply_message(target, text, key)
        recipient = email.utils.parseaddr(str(message["To"]))[1]
        settings = self.settings
        port = settings.smtp_port or (587 if settings.smtp_tls else 25)
        user = settings.smtp_user or settings.user
        where = f"{settings.smtp_host}:{port}"
        try:
            with smtplib.SMTP(settings.smtp_host, port, timeout=settings.timeout) as smtp:
                if settings.smtp_tls:
                    smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo_or_helo_if_needed()
                # A relay that offers no AUTH (an internal one on port 25) takes mail as it is.
                if user and smtp.has_extn("auth"):
                    smtp.login(user, settings.smtp_password or settings.password)
                smtp.send_message(message, from_addr=self._sender_address, to_addrs=[recipient])
        except smtplib.SMTPAuthenticationError as error:
            raise SendFailed(
                f"{where} refused the login for {user!r}: check smtp_user and smtp_password",
                retryable=False,
            ) from error
        except smtplib.SMTPRecipientsRefused as error:
            code, words = next(iter(error.recipients.values()))
            raise _refused(where, f"the address {recipient}", code, words) from error
        except smtplib.SMTPResponseException as error:
            raise _refused(where, "the reply", error.smtp_code, error.smtp_error) from error
        except smtplib.SMTPNotSupportedError as error:
            raise SendFailed(f"{where} cannot do as set: {error}", retryable=False) from error
        except ssl.SSLCertVerificationError as error:
            raise SendFailed(f"{where}: {error.verify_message}", retryable=False) from error
        except smtplib.SMTPServerDisconnected as error:
            raise SendFailed(f"{where} hung up: {_reason(error)}", retryable=True) from error
        except smtplib.SMTPException as error:  # an OSError too: caught before the next line
            raise SendFailed(f"{where}: {_reason(error)}", retryable=False) from error
        except OSError as error:  # refused, reset, timed out
            raise SendFailed(f"cannot reach {where}: {_reason(error)}", retryable=True) from error
        return SentReply(url=None, reference=str(message["Message-ID"]))

    def reply_message(self, target: ReplyTarget, text: str, key: str) -> EmailMessage:
        """The reply as a message: To the author, in the thread, its Message-ID from the key."""
        name, address = email.utils.parseaddr(target.author)
        if "@" not in address:
            raise SendFailed("this post's author has no mail address to reply to", False)
        if not re.fullmatch(r"[0-9A-Za-z_.-]+", key):
            raise SendFailed(f"the reply key {key!r} cannot make a Message-ID", False)
        message = EmailMessage()
        try:
            message["From"] = self.sender
            message["To"] = email.utils.formataddr((name, address))
            message["Subject"] = reply_subject(target.title)
        except ValueError as error:  # a line break in a name: a header that would split
            raise SendFailed(f"an address or subject cannot be sent: {error}", False) from error
        message["Date"] = email.utils.format_datetime(datetime.now(UTC))
        domain = self._sender_address.rpartition("@")[2]
        message["Message-ID"] = f"<hundredfold-{key}@{domain}>"
        original = target.external_id.strip()
        # A mail without a Message-ID was stored under a folder:uid id, which threads nothing.
        if re.fullmatch(r"<[^<>\s]+>", original):
            message["In-Reply-To"] = original
            message["References"] = original
        message.set_content(text, charset="utf-8")
        return message

    @property
    def _sender_address(self) -> str:
        """The bare address of the From header (the SMTP envelope sender)."""
        return email.utils.parseaddr(self.sender)[1]


def reply_subject(title: str) -> str:
    """'Re: ' and the subject answered, with the prefixes it already carries said once."""
    return "Re: " + (_REPLY_PREFIX.sub("", title).strip() or "(no subject)")


def _refused(where: str, what: str, code: int, words: bytes | str) -> SendFailed:
    """The failure for an SMTP refusal: 4xx passes by itself (greylisting, full), 5xx does not."""
    text = words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)
    return SendFailed(f"{where} refused {what}: {code} {' '.join(text.split())}", 400 <= code < 500)


def _reason(error: Exception) -> str:
    """A failure's own words, or its type when it has none."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
