"""Alert delivery against real local receivers: retries, exactly once, formats, e-mail, routes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from data import connect
from data.alerts import list_alerts
from hundredfold.alerting import deliver_pending, evaluate_alerts
from hundredfold.config import ConfigError, config_from_table
from tests.data.alert_history import NOW, burst_posts, everyday_posts, store
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
