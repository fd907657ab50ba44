"""post_from_message on recorded mails (tests/fixtures/mail_*.eml) and on hostile bytes."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.imap import post_from_message
from tests.conftest import FIXTURES

FALLBACK = "INBOX:7:42"


def read(name, received_at=None):
    return post_from_message((FIXTURES / name).read_bytes(), FALLBACK, received_at)


def test_gbk_text_labelled_gb2312_keeps_characters_outside_gb2312():
    post, warnings = read("mail_gbk_labelled_gb2312.eml")
    assert warnings == []
    assert post.author == "王喆 <wangzhe@example.cn>"
    assert post.title == "退款三周未到账（订单 #88120）"
    assert post.body.splitlines() == [
        "你好，我叫王喆。",
        "订单 #88120 的退款已经三周了还没到账，客服电话一直占线。",
        "请尽快处理！",
    ]
    assert post.published_at == datetime(2024, 5, 7, 8, 20, 11, tzinfo=UTC)


def test_big5_quoted_printable_mail_is_read():
    post, warnings = read("mail_big5_quoted_printable.eml")
    assert warnings == []
    assert (post.author, post.title) == (
        "陳志明 <chen.cm@example.com.tw>",
        "充電器故障，申請退換貨",
    )
    assert post.body.startswith("您好：\n我上週買的 Acme X2 充電器無法使用，")
    assert post.external_id == "<CAF1kZ9q8x2mE3r@mail.example.com.tw>"


def test_plain_part_is_the_body_and_attachments_are_ignored():
    post, warnings = read("mail_utf8_with_attachments.eml")
    assert warnings == []
    assert post.title == "Pantalla rota – cracked screen on arrival"
    assert post.body.splitlines() == [
        "Hello,",
        "my Acme X2 arrived with a cracked screen. Photo attached.",
        "I would like a replacement — not a refund.",
        "María",
    ]
    assert post.body_html is None


def test_html_only_mail_is_reduced_to_text_and_keeps_its_html():
    post, _ = read("mail_html_only.eml")
    assert post.body.startswith("Hi support,\nOrder #88121 was marked “delivered”")
    assert "track(" not in post.body and "color: red" not in post.body
    assert post.body_html.lstrip().startswith("<!DOCTYPE html>")
    assert post.published_at == datetime(2024, 5, 4, 12, 0, tzinfo=UTC)


def test_plain_alternative_wins_over_html_and_8bit_gbk_is_decoded():
    post, warnings = read("mail_alternative_plain_and_html.eml")
    assert warnings == []
    assert (post.title, post.body, post.body_html) == ("Re: 发票", "发票已经开好了，请查收。", None)
    assert post.author == "support-bot@shop.example"


def test_broken_charsets_give_warnings_and_missing_id_and_date_fall_back():
    received = datetime(2024, 5, 8, 1, 2, 3, tzinfo=UTC)
    post, warnings = read("mail_broken_charsets_no_id_no_date.eml", received)
    assert post.external_id == FALLBACK
    assert post.published_at == received
    assert post.body == "Refund please \ufffd\ufffd now"
    assert warnings == [
        f"message {FALLBACK}: text/plain part: not readable as 'utf-8', bytes replaced"
    ]


def test_raw_8bit_subject_is_decoded_as_utf8_or_gb18030():
    raw = "Subject: 退货\r\nFrom: 李雷 <li@example.cn>\r\n\r\n请处理\r\n".encode("gb18030")
    post, _ = post_from_message(raw, FALLBACK)
    assert (post.title, post.author, post.body) == ("退货", "李雷 <li@example.cn>", "请处理")


def test_message_with_no_subject_and_no_text_is_skipped_with_a_warning():
    post, warnings = post_from_message(b"From: a@b.c\r\n\r\n", FALLBACK)
    assert post is None
    assert warnings[-1] == f"message {FALLBACK}: no subject and no text, skipped"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_post_or_warnings_never_an_exception(raw):
    post, warnings = post_from_message(raw, FALLBACK)
    assert post is not None or warnings


@settings(max_examples=100, deadline=None)
@given(
    subject=st.text(max_size=80),
    charset=st.sampled_from(["gb2312", "gbk", "big5", "utf-8", "x-unknown", "latin-1"]),
    body=st.binary(max_size=300),
)
def test_hostile_headers_and_bodies_never_raise(subject, charset, body):
    head = f"Subject: =?{charset}?B?{subject}?=\r\nContent-Type: text/plain; charset={charset}\r\n"
    post_from_message(head.encode("utf-8", "surrogatepass") + b"\r\n" + body, FALLBACK)
