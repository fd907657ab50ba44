"""Which sources can send replies (collectors.replies.replier_for) and replies by mail over SMTP.

Mail goes to PyPI's aiosmtpd on 127.0.0.1 (tests/receivers.MailReceiver), which keeps every
message it was given; nothing of ours is patched.
"""

from __future__ import annotations

import pytest

from collectors.imap import ImapSettings
from collectors.reddit import RedditSettings
from collectors.replies import REPLIERS, ReplyTarget, SendFailed, replier_for
from collectors.replies.mail import reply_subject
from collectors.rss import RssSettings

KEY = "9b1e4f0c2a"
CUSTOMER = ReplyTarget(
    external_id="<order-1187.refund@mail.customer.cn>",
    url="",
    author="王喆 <wang.zhe@customer.cn>",
    title="退款三周还没到账",
)
REPLY = "王先生您好：\n\n您的退款已加急处理，预计两个工作日内到账。\n\nAcme 客服"
SEND_SETTINGS = {
    "reddit": RedditSettings(client_id="app", client_secret="s", username="u", password="p"),
    "imap": ImapSettings(host="imap.acme.example", user="support@acme.example", password="p",
                         smtp_host="smtp.acme.example"),
    "rss": RssSettings(url="https://forum.acme.example/latest.rss", discourse_api_key="k",
                       discourse_username="acme_support"),
}  # fmt: skip


def mail_settings(port: int, **settings) -> ImapSettings:
    """An imap source whose replies go to 127.0.0.1:`port` without STARTTLS."""
    options = {
        "host": "imap.acme.example",
        "user": "support@acme.example",
        "password": "imap-password",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_tls": False,
        "reply_from": "Acme Support <support@acme.example>",
        "timeout": 2.0,
    }
    return ImapSettings(**(options | settings))


def send_mail(settings: ImapSettings, target: ReplyTarget = CUSTOMER, text: str = REPLY):
    replier = replier_for("imap", settings)
    assert replier is not None
    return replier.send(target, text, KEY)


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("reddit", {"username": ""}),
        ("reddit", {"password": ""}),
        ("imap", {"smtp_host": ""}),
        ("imap", {"user": "support", "reply_from": ""}),  # no From address to send as
        ("rss", {"discourse_api_key": ""}),
        ("rss", {"discourse_username": ""}),
    ],
)
def test_source_without_its_send_settings_has_no_replier(kind, changes):
    settings = SEND_SETTINGS[kind]
    assert replier_for(kind, type(settings)(**(vars(settings) | changes))) is None


def test_each_kind_with_send_settings_has_its_replier_and_files_have_none():
    for kind, settings in SEND_SETTINGS.items():
        assert replier_for(kind, settings) is not None, kind
    assert set(REPLIERS) == {"reddit", "imap", "rss"}
    assert replier_for("file", object()) is None


def test_mail_reply_arrives_once_in_the_customers_thread_with_its_chinese_intact(mailbox):
    sent = send_mail(mail_settings(mailbox.port))

    [message] = mailbox.messages
    assert message["To"].addresses[0].addr_spec == "wang.zhe@customer.cn"
    assert message["To"].addresses[0].display_name == "王喆"
    assert str(message["From"]) == "Acme Support <support@acme.example>"
    assert message["In-Reply-To"] == CUSTOMER.external_id
    assert message["References"] == CUSTOMER.external_id
    assert message["Subject"] == "Re: 退款三周还没到账"
    assert message["Message-ID"] == f"<hundredfold-{KEY}@acme.example>"
    assert message["Date"].datetime is not None
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n").rstrip("\n") == REPLY  # CRLF on the wire
    assert (sent.url, sent.reference) == (None, f"<hundredfold-{KEY}@acme.example>")


def test_mail_from_defaults_to_the_imap_user(mailbox):
    send_mail(mail_settings(mailbox.port, reply_from=""))

    [message] = mailbox.messages
    assert str(message["From"]) == "support@acme.example"
    assert message["Message-ID"] == f"<hundredfold-{KEY}@acme.example>"


def test_mail_stored_without_a_message_id_is_answered_outside_any_thread(mailbox):
    target = ReplyTarget("INBOX:7:42", "", "li@customer.cn", "Broken kettle")

    send_mail(mail_settings(mailbox.port), target)

    [message] = mailbox.messages
    assert (message["In-Reply-To"], message["References"]) == (None, None)
    assert message["To"].addresses[0].addr_spec == "li@customer.cn"


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("退款三周还没到账", "Re: 退款三周还没到账"),
        ("Re: Refund", "Re: Refund"),
        ("RE: re: Refund", "Re: Refund"),
        ("回复：退款", "Re: 退款"),
        ("", "Re: (no subject)"),
    ],
)
def test_reply_subject_says_re_once(title, subject):
    assert reply_subject(title) == subject


def test_author_without_a_mail_address_is_not_retryable(mailbox):
    with pytest.raises(SendFailed) as raised:
        send_mail(mail_settings(mailbox.port), ReplyTarget("<a@b>", "", "王喆", "x"))

    assert not raised.value.retryable and "no mail address" in str(raised.value)
    assert mailbox.messages == []


def test_refused_smtp_connection_is_retryable(closed_port):
    with pytest.raises(SendFailed) as raised:
        send_mail(mail_settings(closed_port))

    assert raised.value.retryable and f"127.0.0.1:{closed_port}" in str(raised.value)


def test_smtp_server_that_never_answers_is_a_retryable_timeout(silent_url):
    port = int(silent_url.rsplit(":", 1)[1])

    with pytest.raises(SendFailed) as raised:
        send_mail(mail_settings(port, timeout=0.3))

    assert raised.value.retryable and "imap-password" not in str(raised.value)


def test_smtp_server_without_starttls_is_not_retryable(mailbox):
    with pytest.raises(SendFailed) as raised:
        send_mail(mail_settings(mailbox.port, smtp_tls=True))

    assert not raised.value.retryable and "STARTTLS" in str(raised.value)
    assert mailbox.messages == []
