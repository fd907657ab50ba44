"""A reply to the support mailbox goes out by SMTP (aiosmtpd on 127.0.0.1) in the customer's
thread, is recorded on the case by its Message-ID, and a second send posts nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.cases import Actor, TransitionRefused, claim_case
from data.schema import case_events, cases
from hundredfold.config import config_from_table
from hundredfold.replying import send_reply
from sentiment.record import from_probs

NOW = datetime.now(UTC)
ANA = Actor("ana")


def mail_case(database_url: str, port: int):
    """The config of a mailbox source that replies through `port`, and one complaint from it."""
    source = {"kind": "imap", "name": "support", "host": "imap.acme.example",
              "user": "support@acme.example", "password": "x", "smtp_host": "127.0.0.1",
              "smtp_port": port, "smtp_tls": False, "timeout": 2.0,
              "reply_from": "Acme Support <support@acme.example>"}  # fmt: skip
    config = config_from_table({"database_url": database_url, "source": [source]})
    engine = connect(database_url)
    [record] = sync_sources(engine, [SourceSpec("support", "imap", "email", {}, 900)]).values()
    post = Post("<order-123@customer.example>", "退款三周了还没到账", title="退款问题",
                author="李雷 <lilei@customer.example>",
                published_at=NOW - timedelta(hours=1))  # fmt: skip
    item = ScoredPost(post, "zh", from_probs(0.9, 0.05, 0.05, "test-model-1"))
    save_batch(engine, record.id, "email", [item], {}, now=NOW, threshold=0.5)
    with engine.connect() as connection:
        case_id = connection.execute(select(cases.c.id)).scalar_one()
    claim_case(engine, case_id, ANA, NOW)
    return config, engine, case_id


def test_a_mail_reply_is_sent_in_the_thread_once_and_recorded_by_message_id(database_url, mailbox):
    config, engine, case_id = mail_case(database_url, mailbox.port)
    first = send_reply(config, engine, case_id, ANA, "您好，退款今天到账。——Acme客服", NOW)
    again = send_reply(config, engine, case_id, ANA, "您好，退款今天到账。——Acme客服", NOW)
    [message] = mailbox.messages
    assert message["To"].endswith("<lilei@customer.example>")
    assert message["In-Reply-To"] == "<order-123@customer.example>"
    assert message["Subject"] == "Re: 退款问题"
    assert "退款今天到账" in message.get_content()
    assert first.reply_url == f"mid:{message['Message-ID'].strip().strip('<>')}"
    assert (again.already_sent, again.reply_url) == (True, first.reply_url)
    with engine.connect() as connection:
        row = connection.execute(select(cases).where(cases.c.id == case_id)).one()
    assert (row.status, row.reply_url) == ("replied", first.reply_url)


def test_a_failed_mail_send_keeps_the_case_claimed_and_notes_why(database_url, closed_port):
    config, engine, case_id = mail_case(database_url, closed_port)
    with pytest.raises(TransitionRefused, match="not sent"):
        send_reply(config, engine, case_id, ANA, "Sorry!", NOW)
    with engine.connect() as connection:
        row = connection.execute(select(cases).where(cases.c.id == case_id)).one()
        [failure] = connection.execute(
            select(case_events).where(case_events.c.kind == "send_failed")
        ).all()
    assert row.status == "claimed" and row.first_reply_at is None
    assert failure.note.startswith("reply not sent:")
