"""Alert delivery against real local receivers: retries, once, formats, inert markup, e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from collectors.base import Post
from data import ScoredPost, connect
from data.alerts import list_alerts
from hundredfold.alerting import deliver_pending, evaluate_alerts
from hundredfold.chat_markup import webhook_body
from hundredfold.config import ConfigError, config_from_table
from tests.data.alert_history import ANGRY, NOW, burst_posts, everyday_posts, store
from tests.receivers import WebhookReceiver

LATER = NOW + timedelta(days=2)


@pytest.fixture(scope="module")
def webhook_session():
    """One webhook receiver for the module."""
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def webhook(webhook_session):
    """The receiver, answering 200 to everything and holding nothing yet."""
    webhook_session.reset()
    return webhook_session


@pytest.fixture
def engine_with_burst(database_url):
    """Ten days of everyday complaints and a delivery outage in the hour before NOW."""
    engine = connect(database_url)
    store(engine, everyday_posts(NOW - timedelta(days=10), NOW + timedelta(hours=1)), LATER)
    store(engine, burst_posts(NOW - timedelta(minutes=50)), LATER)
    yield engine
    engine.dispose()


def configured(notify: dict, routes: dict | None = None):
    """A config whose alerts go to `notify` targets, retried without waiting."""
    alerts = {"retry_wait": 0, **({"routes": routes} if routes else {})}
    return config_from_table({"alerts": alerts, "notify": notify})


def test_receiver_failing_twice_then_succeeding_gets_the_alert_exactly_once(
    webhook, engine_with_burst
):
    webhook.reset(script=[503, 503])
    config = configured({"hook": {"kind": "webhook", "url": webhook.base_url + "/hook"}})
    result = evaluate_alerts(config, engine_with_burst, NOW)
    assert result["deliveries"] == {"sent": 1, "pending": 0, "failed": 0}
    assert webhook.requests == 3
    [body] = webhook.accepted
    assert (body["kind"], body["key"], body["severity"]) == ("spike", "spike:brand", "critical")
    assert body["details"]["spiking_topics"] == ["delivery"]
    # Later runs neither re-send the delivered alert nor raise it again.
    evaluate_alerts(config, engine_with_burst, NOW + timedelta(minutes=15))
    assert len(webhook.accepted) == 1
    [alert] = list_alerts(engine_with_burst, NOW)
    assert alert["deliveries"][0]["status"] == "sent"
    assert alert["deliveries"][0]["attempts"] == 3


def test_receiver_down_keeps_the_alert_queued_and_records_why(webhook, engine_with_burst):
    webhook.reset(script=[500] * 3)
    config = configured({"hook": {"kind": "webhook", "url": webhook.base_url + "/hook"}})
    assert evaluate_alerts(config, engine_with_burst, NOW)["deliveries"]["pending"] == 1
    [alert] = list_alerts(engine_with_burst, NOW)
    assert "500" in alert["deliveries"][0]["last_error"]
    assert webhook.accepted == []
    # The next run (after the next collection) delivers it.
    assert deliver_pending(config.alerting, engine_with_burst, NOW)["sent"] == 1
    assert len(webhook.accepted) == 1


@pytest.mark.parametrize(
    ("kind", "text_at"),
    [
        ("slack", ("text",)),
        ("dingtalk", ("text", "content")),
        ("wecom", ("text", "content")),
        ("feishu", ("content", "text")),
    ],
)
def test_robot_formats_carry_the_explanation(webhook, engine_with_burst, kind, text_at):
    config = configured({"robot": {"kind": kind, "url": webhook.base_url + "/robot"}})
    evaluate_alerts(config, engine_with_burst, NOW)
    [body] = webhook.accepted
    text = body[text_at[0]] if len(text_at) == 1 else body[text_at[0]][text_at[1]]
    assert "topics: delivery" in text and "top terms:" in text and "lost" in text


def test_robot_answering_an_error_code_is_a_failed_delivery(webhook, engine_with_burst):
    webhook.reply = {"errcode": 310000, "errmsg": "keywords not in content"}
    config = configured({"robot": {"kind": "dingtalk", "url": webhook.base_url + "/robot"}})
    result = evaluate_alerts(config, engine_with_burst, NOW)
    assert result["deliveries"]["pending"] == 1
    [alert] = list_alerts(engine_with_burst, NOW)
    assert "310000" in alert["deliveries"][0]["last_error"]


def test_alert_is_mailed_over_smtp(mailbox, engine_with_burst):
    config = configured(
        {"lead": {"kind": "email", "to": ["lead@example.com"], "host": "127.0.0.1",
                  "port": mailbox.port, "from": "alerts@example.com"}}
    )  # fmt: skip
    assert evaluate_alerts(config, engine_with_burst, NOW)["deliveries"]["sent"] == 1
    [message] = mailbox.messages
    assert message["To"] == "lead@example.com"
    assert message["Subject"].strip().startswith("[Hundredfold critical]")
    assert "topics: delivery" in message.get_content()


def test_routes_send_each_kind_only_where_configured(webhook, mailbox, engine_with_burst):
    config = configured(
        {"hook": {"kind": "webhook", "url": webhook.base_url + "/hook"},
         "lead": {"kind": "email", "to": "lead@example.com", "host": "127.0.0.1",
                  "port": mailbox.port}},
        routes={"spike": ["lead"], "*": ["hook"]},
    )  # fmt: skip
    evaluate_alerts(config, engine_with_burst, NOW)
    assert (len(mailbox.messages), webhook.accepted) == (1, [])


def test_route_to_an_unknown_target_is_a_config_error():
    with pytest.raises(ConfigError, match=r"alerts\.routes\.spike: no \[notify\.nobody\]"):
        config_from_table({"alerts": {"routes": {"spike": ["nobody"]}}})
    with pytest.raises(ConfigError, match=r"notify\.x\.kind"):
        config_from_table({"notify": {"x": {"kind": "pager"}}})


# Markup a hostile poster puts in a complaint, split so each fits one quoted excerpt.
HOSTILE_TEXTS = [
    "<!channel> <!here> <@U123> parcel lost <http://evil.example|Official refund form>",
    "[click](http://evil) ![](http://evil/t.png) @all parcel lost",
    '<at user_id="all"></at> <font color="red">x</font> parcel lost',
]
HOSTILE_URL = "http://forum.example/t/1?a=1&b=<!here>|x y"
LINKED_URL = "http://forum.example/t/1?a=1&b=%3C!here%3E%7Cx%20y"
SLACK_LINK = "<http://forum.example/t/1?a=1&amp;b=%3C!here%3E%7Cx%20y>"  # Slack reads &amp; as &


@pytest.fixture
def engine_with_hostile_burst(engine_with_burst):
    """The outage, and the three most-reached complaints in it carrying chat markup."""
    hostile = [
        ScoredPost(
            Post(
                f"hostile-{n}",
                text,
                url=HOSTILE_URL if n == 0 else "",
                published_at=NOW - timedelta(minutes=20 + n),
                score=10_000 - n,
            ),
            "en",
            ANGRY,
            ["delivery"],
        )  # fmt: skip
        for n, text in enumerate(HOSTILE_TEXTS)
    ]
    store(engine_with_burst, hostile, LATER)
    return engine_with_burst


def slack_markup_left(text: str) -> list[str]:
    """Slack's `<...>` sequences in `text` that are not our own plain link to the post."""
    return [found for found in re.findall(r"<[^>]*>", text) if found != SLACK_LINK]


@pytest.mark.parametrize("kind", ["slack", "dingtalk", "wecom", "feishu"])
def test_chat_markup_in_posts_arrives_inert_and_readable(webhook, engine_with_hostile_burst, kind):
    config = configured({"robot": {"kind": kind, "url": webhook.base_url + "/robot"}})
    assert evaluate_alerts(config, engine_with_hostile_burst, NOW)["deliveries"]["sent"] == 1
    [body] = webhook.accepted
    if kind == "slack":
        text = body["text"]
        assert slack_markup_left(text) == []
        # Slack shows &lt; as <: the reader sees what was written, nobody is notified.
        for shown in ("&lt;!channel&gt;", "&lt;!here&gt;", "&lt;@U123&gt;",
                      "&lt;http://evil.example|Official refund form&gt;"):  # fmt: skip
            assert shown in text
        assert text.startswith("*[CRITICAL]* spike:")  # our own markup stays
        assert SLACK_LINK in text
        assert "[click](http://evil)" in text  # not markup in Slack: shown as typed
        return
    assert body.get("msgtype", body.get("msg_type")) == "text"  # never markdown: no images
    text = body["content"]["text"] if kind == "feishu" else body["text"]["content"]
    # No mention, tag or link syntax of any robot is left: none of its characters remain
    # but in our own header and the post's link.
    assert text.startswith("[CRITICAL] spike:")
    ours = text.replace("[CRITICAL]", "", 1).replace(LINKED_URL, "")
    assert [char for char in "<>[]@" if char in ours] == []
    for shown in ("＜!channel＞", "＜＠U123＞", "Official refund form", "［click］(http://evil)",
                  "!［］(http://evil/t.png)", "＠all", '＜at user_id="all"＞＜/at＞',
                  '＜font color="red"＞x＜/font＞'):  # fmt: skip
        assert shown in text
    assert LINKED_URL in text  # the post's link, clickable, its markup characters encoded
    assert "mentioned_list" not in body["text" if kind != "feishu" else "content"]
    if kind == "dingtalk":
        assert body["at"] == {"isAtAll": False}


def test_topic_terms_and_source_names_are_escaped_too():
    alert = {"id": 7, "kind": "silent_source", "severity": "warning",
             "dedupe_key": "silent_source:<!channel>", "opened_at": NOW,
             "title": "source <!channel> has brought no new posts",
             "details": {"spiking_topics": ["<@U1>"], "terms": [{"term": "[x](http://e)"}],
                         "channels": {"<at user_id=\"all\">": 1}}}  # fmt: skip
    slack = webhook_body("slack", alert)["text"]
    assert slack_markup_left(slack) == [] and slack.count("&lt;") == 4
    robot = webhook_body("feishu", alert)["content"]["text"]
    assert [char for char in "<>[]@" if char in robot.replace("[WARNING]", "", 1)] == []
    assert "source ＜!channel＞ has brought" in robot
    # E-mail and our own JSON are read as text: they carry the post text as written.
    assert "source <!channel>" in webhook_body("webhook", alert)["text"]


def test_only_http_urls_become_links():
    alert = {"id": 8, "kind": "viral", "severity": "critical", "dedupe_key": "viral:post:1",
             "opened_at": NOW, "title": "a complaint gaining reach",
             "details": {"text": "refund", "url": "javascript:alert(1)//<!channel>"}}  # fmt: skip
    slack = webhook_body("slack", alert)["text"]
    assert "javascript:alert(1)//&lt;!channel&gt;" in slack and slack_markup_left(slack) == []
    wecom = webhook_body("wecom", alert)["text"]["content"]
    assert "javascript:alert(1)//＜!channel＞" in wecom
