"""Redaction: URL secrets hidden with their host kept, registered secrets hidden in any form."""

from __future__ import annotations

import io
import json
import logging
import re
import uuid
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hundredfold.config import config_from_table
from hundredfold.redaction import (
    MARK,
    RedactingFilter,
    redact,
    redact_url,
    register_secret,
    register_url,
    scrub,
)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://alerts:hunter22@mail.example.com:8443/in?access_token=abc123&channel=ops",
            f"https://alerts:{MARK}@mail.example.com:8443/in?access_token={MARK}&channel=ops",
        ),
        (
            "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/xoxbsecretsecretsecret",
            f"https://hooks.slack.com/services/T0123ABCD/B0456EFGH/{MARK}",
        ),
        (
            "https://open.feishu.cn/open-apis/bot/v2/hook/0f8b2c1e-5d6a-4f7b-9c3d-1e2f3a4b5c6d",
            f"https://open.feishu.cn/open-apis/bot/v2/hook/{MARK}",
        ),
        (
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx",
            f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={MARK}",
        ),
        (
            "https://oapi.dingtalk.com/robot/send?access_token=6c2f&timestamp=17&sign=a%2Bb",
            f"https://oapi.dingtalk.com/robot/send?access_token={MARK}&timestamp=17&sign={MARK}",
        ),
        (
            "https://discord.com/api/webhooks/1234/tok_en",
            f"https://discord.com/api/webhooks/1234/{MARK}",
        ),
        (
            "https://ghp8Zt4kQ2mX9vL1nB7cR3sW@github.com/acme/feeds",
            f"https://{MARK}@github.com/acme/feeds",
        ),
        (
            "https://example.com/callback#access_token=eyJhbGci&state=x",
            f"https://example.com/callback#access_token={MARK}&state=x",
        ),
    ],
)
def test_a_url_keeps_scheme_host_and_path_and_loses_its_secrets(url, shown):
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        "https://forum.example.com/t/iphone-15-battery-drains-fast/12345?page=2&order=latest",
        "https://www.reddit.com/r/AcmeSupport/comments/1cm1v7q/parcel_lost/",
        "HTTP://Example.com/feed?",
        "imap://support@mail.example.com/INBOX",
        "https://item.jd.com/100012043978.html?keyword=扫地机",
    ],
)
def test_a_url_without_secrets_is_left_exactly_as_written(url):
    assert redact_url(url) == url


def test_urls_in_text_are_redacted_where_they_stand_punctuation_kept():
    text = "Server error '500' for url 'https://x.example/robot/send?access_token=t0k3n'."
    assert (
        redact(text)
        == f"Server error '500' for url 'https://x.example/robot/send?access_token={MARK}'."
    )
    assert redact("(see https://u:pw@h.example/)") == f"(see https://u:{MARK}@h.example/)"


def test_a_registered_secret_is_hidden_as_written_and_url_json_or_repr_escaped():
    secret = f'pa ss/wörd"{uuid.uuid4().hex[:6]}'
    register_secret(secret)
    escaped = (quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1])
    for written in (secret, *escaped, repr(secret)[1:-1]):
        assert redact(f"login with {written} refused") == f"login with {MARK} refused"


def test_a_short_secret_is_hidden_only_where_it_stands_alone():
    register_secret("q7z")
    assert redact("pin q7z refused") == f"pin {MARK} refused"
    assert redact("faq7zone, aq7z") == "faq7zone, aq7z"


def test_a_long_secret_is_hidden_inside_other_text_too():
    register_secret("s3cr3t-long")
    assert redact("token=xs3cr3t-longx") == f"token=x{MARK}x"


def test_register_url_registers_its_secret_parts_but_not_short_common_values():
    register_url("https://feeds.example.com/private.rss?api_key=k3y-8f2a9&auth=true")
    assert redact("the forum said k3y-8f2a9 is wrong") == f"the forum said {MARK} is wrong"
    assert redact("verified: true") == "verified: true"


def test_config_registers_environment_values_inline_passwords_and_url_tokens(monkeypatch):
    monkeypatch.setenv("HF_MAIL_PASSWORD", "from-env-4e1d")
    config_from_table(
        {
            "notify": {"hook": {"kind": "dingtalk", "url": "https://d.example/send?access_token=t0k3n-77"}},
            "source": [
                {"kind": "imap", "name": "m", "host": "h", "user": "u",
                 "password": {"env": "HF_MAIL_PASSWORD"}, "smtp_password": "inline-9a8b"},
            ],
        }
    )  # fmt: skip
    said = redact("from-env-4e1d, inline-9a8b and t0k3n-77 were refused for user u at h")
    assert said == f"{MARK}, {MARK} and {MARK} were refused for user u at h"


def test_scrub_keeps_references_masks_secret_fields_and_redacts_urls():
    settings = {
        "password": "plain-text",
        "client_secret": {"env": "REDDIT_CLIENT_SECRET"},
        "url": "https://u:pw@forum.example.com/latest.rss",
        "columns": {"author": "用户昵称", "text": "评价内容"},
        "smtp_password": "",
        "timeout": 20.0,
    }
    assert scrub(settings) == {
        "password": MARK,
        "client_secret": {"env": "REDDIT_CLIENT_SECRET"},
        "url": f"https://u:{MARK}@forum.example.com/latest.rss",
        "columns": {"author": "用户昵称", "text": "评价内容"},
        "smtp_password": "",
        "timeout": 20.0,
    }


def test_the_log_filter_redacts_message_arguments_and_exception_text():
    register_secret("pw-5c7e91")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger(f"test.redaction.{uuid.uuid4().hex}")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        raise ValueError("refused https://h.example/hook?key=abcdef-99 with pw-5c7e91")
    except ValueError:
        logger.exception("sending %s to %s failed", "pw-5c7e91", "https://a:b@h.example/")
    written = stream.getvalue()
    assert "pw-5c7e91" not in written and "abcdef-99" not in written and ":b@" not in written
    assert "Traceback" in written and "ValueError" in written and "h.example" in written


@given(st.text())
def test_redaction_never_fails_and_redacting_twice_changes_nothing(text):
    once = redact(text)
    assert redact(once) == once


@given(
    st.from_regex(r"\Ahttps?://[a-z.]{1,12}(/[A-Za-z0-9_-]{0,24}){0,4}(\?[a-z_]{1,8}=\w{0,20})?\Z")
)
def test_any_url_keeps_its_scheme_and_host(url):
    start = re.match(r"https?://[a-z.]+", url)
    assert start is not None and redact_url(url).startswith(start.group())
