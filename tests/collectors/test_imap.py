"""The imap collector against a real IMAP server on 127.0.0.1 (pymap, tests/mail_server.py)."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime

import pytest

from collectors.base import SourceError
from collectors.imap import MESSAGE_BATCH, ImapCollector, ImapSettings
from tests.conftest import FIXTURES
from tests.mail_server import PASSWORD, USER

MAILS = {
    "gbk": "mail_gbk_labelled_gb2312.eml",
    "big5": "mail_big5_quoted_printable.eml",
    "utf8": "mail_utf8_with_attachments.eml",
    "html": "mail_html_only.eml",
}


@pytest.fixture
def folder(mail_server):
    """An empty folder of its own for each test."""
    return mail_server.new_folder()


def eml(name):
    return (FIXTURES / name).read_bytes()


def collect(server, folder, state=None, **settings):
    """Every batch one fetch yields."""
    options = {
        "host": "127.0.0.1",
        "port": server.port,
        "user": USER,
        "password": PASSWORD,
        "tls": False,
        "folder": folder,
        "timeout": 5.0,
        "retry_wait": 0.001,
    }
    return list(ImapCollector(ImapSettings(**(options | settings))).fetch(state or {}))


def posts_of(batches):
    return [post for batch in batches for post in batch.posts]


def test_gbk_big5_utf8_and_html_only_mail_arrive_as_readable_text(mail_server, folder):
    for name in MAILS.values():
        mail_server.deliver(folder, eml(name))
    gbk, big5, utf8, html = posts_of(collect(mail_server, folder))
    assert gbk.title == "退款三周未到账（订单 #88120）"
    assert gbk.author == "王喆 <wangzhe@example.cn>"
    assert gbk.body.splitlines()[0] == "你好，我叫王喆。"
    assert big5.title == "充電器故障，申請退換貨"
    assert big5.body.splitlines() == [
        "您好：",
        "我上週買的 Acme X2 充電器無法使用，",
        "請問要如何退換貨？",
        "謝謝",
    ]
    assert utf8.author == "María García <maria.garcia@example.es>"
    assert "cracked screen" in utf8.body and "replacement — not a refund" in utf8.body
    assert html.body.splitlines() == [
        "Hi support,",
        "Order #88121 was marked “delivered” but nothing arrived.",
        "The courier says it's your problem & you say it's theirs.",
        "Sent from my phone",
    ]
    assert "<script>" in html.body_html and 'track("open")' not in html.body


def test_message_ids_and_dates_identify_and_time_each_mail(mail_server, folder):
    mail_server.deliver(folder, eml(MAILS["gbk"]))
    [post] = posts_of(collect(mail_server, folder))
    assert post.external_id == "<20240507162011.5f3a@example.cn>"
    assert post.published_at == datetime(2024, 5, 7, 8, 20, 11, tzinfo=UTC)


def test_attachments_are_ignored(mail_server, folder):
    mail_server.deliver(folder, eml(MAILS["utf8"]))
    [batch] = collect(mail_server, folder)
    [post] = batch.posts
    assert "ATTACHMENT TEXT" not in post.body and "%PDF" not in post.body
    assert batch.warnings == []


def test_second_run_fetches_nothing(mail_server, folder):
    for name in MAILS.values():
        mail_server.deliver(folder, eml(name))
    first = collect(mail_server, folder)
    assert collect(mail_server, folder, first[-1].state) == []


def test_message_arriving_after_a_run_is_fetched_alone(mail_server, folder):
    mail_server.deliver(folder, eml(MAILS["gbk"]))
    first = collect(mail_server, folder)
    uid = mail_server.deliver(folder, eml(MAILS["big5"]))
    [batch] = collect(mail_server, folder, first[-1].state)
    assert [post.title for post in batch.posts] == ["充電器故障，申請退換貨"]
    assert batch.state["last_uid"] == uid


def test_messages_come_in_batches_with_their_uid_checkpoint(mail_server, folder):
    uids = [
        mail_server.deliver(folder, b"Subject: n%d\r\nMessage-ID: <n%d@x>\r\n\r\nbody\r\n" % (n, n))
        for n in range(MESSAGE_BATCH + 3)
    ]
    batches = collect(mail_server, folder)
    assert [len(batch.posts) for batch in batches] == [MESSAGE_BATCH, 3]
    assert [batch.state["last_uid"] for batch in batches] == [uids[MESSAGE_BATCH - 1], uids[-1]]
    assert {batch.state["uidvalidity"] for batch in batches} == {batches[0].state["uidvalidity"]}
    json.dumps(batches[-1].state)  # the checkpoint is stored as JSON


def test_reading_leaves_messages_unread(mail_server, folder):
    mail_server.deliver(folder, eml(MAILS["html"]))
    collect(mail_server, folder)
    [flags] = mail_server.flags(folder)
    assert b"FLAGS" in flags and b"\\Seen" not in flags


def test_changed_uidvalidity_reads_the_folder_again(mail_server, folder):
    mail_server.deliver(folder, eml(MAILS["gbk"]))
    first = collect(mail_server, folder)
    renumbered = first[-1].state | {"uidvalidity": first[-1].state["uidvalidity"] + 1}
    [batch] = collect(mail_server, folder, renumbered)
    assert len(batch.posts) == 1
    assert any("UIDVALIDITY changed" in warning for warning in batch.warnings)


def test_search_criterion_limits_what_is_read(mail_server, folder):
    for name in MAILS.values():
        mail_server.deliver(folder, eml(name))
    posts = posts_of(collect(mail_server, folder, search='FROM "tom.b@example.org"'))
    assert [post.title for post in posts] == ["Package never arrived"]


def test_mail_without_date_or_id_gets_the_arrival_time_and_a_folder_uid_id(mail_server, folder):
    arrived = datetime(2024, 5, 8, 1, 2, 3, tzinfo=UTC)
    uid = mail_server.deliver(folder, eml("mail_broken_charsets_no_id_no_date.eml"), arrived)
    [batch] = collect(mail_server, folder)
    [post] = batch.posts
    assert post.external_id == f"{folder}:{batch.state['uidvalidity']}:{uid}"
    assert post.published_at == arrived
    assert batch.warnings  # the broken charset is reported, not fatal


def test_folder_named_in_chinese_is_found(mail_server):
    wire_name = mail_server.new_folder(prefix="&W6JnDQ--")  # modified UTF-7 of "客服-"
    mail_server.deliver(wire_name, eml(MAILS["big5"]))
    posts = posts_of(collect(mail_server, "客服-" + wire_name.removeprefix("&W6JnDQ--")))
    assert [post.title for post in posts] == ["充電器故障，申請退換貨"]


def test_wrong_password_is_a_source_error_saying_the_login_was_refused(mail_server, folder):
    with pytest.raises(SourceError, match=r"IMAP login refused for 'support' at 127\.0\.0\.1"):
        collect(mail_server, folder, password="wrong")


def test_missing_folder_is_a_source_error_naming_it(mail_server):
    with pytest.raises(SourceError, match="folder 'no-such-folder'"):
        collect(mail_server, "no-such-folder")


def test_unreachable_server_is_a_source_error_after_retries(mail_server):
    with pytest.raises(SourceError, match=r"cannot reach 127\.0\.0\.1:\d+: .*after 3 attempts"):
        collect(mail_server, "INBOX", port=closed_port())


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
