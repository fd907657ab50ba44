"""Alerts after each collection: evaluate the rules, then deliver what is new to its targets.

Targets are webhooks (generic JSON, Slack, DingTalk, Feishu/Lark, WeCom group robots) and
e-mail over SMTP, named in `[notify.NAME]` tables and routed per alert kind by
`[alerts.routes]`. A message that fails is retried (tenacity, with backoff) and stays queued
in the database for the next run when the retries run out: an alert is never lost. Chat
payloads come from `hundredfold.chat_markup`, where text from outside is made inert.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from data.alert_deliveries import pending_deliveries, record_attempts
from data.alerts import KINDS, AlertSettings, evaluate
from hundredfold.chat_markup import message_text, webhook_body
from hundredfold.redaction import redact

if TYPE_CHECKING:
    from hundredfold.config import Config

log = logging.getLogger("hundredfold.alerts")
WEBHOOK_KINDS = ("webhook", "slack", "dingtalk", "feishu", "wecom")
TARGET_KINDS = (*WEBHOOK_KINDS, "email")
# Tries within one run; a delivery still failing is retried on the next run, up to GIVE_UP.
TRIES_PER_RUN = 3
GIVE_UP_AFTER = 12
SEND_TIMEOUT = 10.0


@dataclass(frozen=True)
class Target:
    """Where notifications go: a webhook URL or a mailbox, and how to reach it."""

    name: str
    kind: str
    url: str = ""
    to: tuple[str, ...] = ()
    host: str = "localhost"
    port: int = 25
    sender: str = "hundredfold@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False


@dataclass(frozen=True)
class AlertConfig:
    """The `[alerts]` rules, the `[notify.*]` targets and which kinds go to which target."""

    rules: AlertSettings = field(default_factory=AlertSettings)
    targets: dict[str, Target] = field(default_factory=dict)
    routes: dict[str, list[str]] = field(default_factory=dict)
    retry_wait: float = 2.0


def parse_alert_config(alerts: Mapping[str, Any], notify: Mapping[str, Any]) -> AlertConfig:
    """Validate `[alerts]` and `[notify.NAME]`; a ValueError names the field."""
    from hundredfold.config import parse_duration, resolve_secret  # config imports this module

    targets = {}
    for name, table in notify.items():
        if not isinstance(table, dict) or table.get("kind") not in TARGET_KINDS:
            raise ValueError(f"notify.{name}.kind: expected one of {', '.join(TARGET_KINDS)}")
        values = {
            key: resolve_secret(value, f"notify.{name}.{key}") for key, value in table.items()
        }
        if values["kind"] != "email" and not str(values.get("url", "")).startswith("http"):
            raise ValueError(f"notify.{name}.url: an http(s) URL is required")
        if values["kind"] == "email" and not values.get("to"):
            raise ValueError(f"notify.{name}.to: at least one address is required")
        targets[name] = Target(
            name, values["kind"], str(values.get("url", "")),
            tuple([values["to"]] if isinstance(values.get("to"), str) else values.get("to", ())),
            str(values.get("host", "localhost")), int(values.get("port", 25)),
            str(values.get("from", "hundredfold@localhost")), values.get("user"),
            values.get("password"), bool(values.get("starttls", False)),
        )  # fmt: skip
    every = list(targets)
    given = alerts.get("routes", {})
    routes = {kind: list(given.get(kind, given.get("*", every))) for kind in KINDS}
    for kind in given:
        if kind not in (*KINDS, "*"):
            raise ValueError(
                f"alerts.routes.{kind}: unknown alert kind (known: {', '.join(KINDS)})"
            )
    for kind, names in routes.items():
        unknown = [name for name in names if name not in targets]
        if unknown:
            raise ValueError(f"alerts.routes.{kind}: no [notify.{unknown[0]}] table")
    known = {"window", "baseline_days", "sensitivity", "min_count", "cooldown", "viral_growth",
             "retry_wait", "routes"}  # fmt: skip
    for key, value in alerts.items():
        if key not in known:
            raise ValueError(f"alerts.{key}: unknown setting (known: {', '.join(sorted(known))})")
        if key not in ("routes", "window", "cooldown") and (
            not isinstance(value, int | float) or isinstance(value, bool) or value < 0
        ):
            raise ValueError(f"alerts.{key}: expected a number of at least 0, got {value!r}")

    def duration(key: str, default: str) -> timedelta:
        try:
            return timedelta(seconds=parse_duration(alerts.get(key, default)))
        except ValueError as error:
            raise ValueError(f"alerts.{key}: {error}") from error

    defaults = AlertSettings()
    rules = AlertSettings(
        window=duration("window", "1h"),
        baseline_days=int(alerts.get("baseline_days", defaults.baseline_days)),
        sensitivity=float(alerts.get("sensitivity", defaults.sensitivity)),
        min_count=int(alerts.get("min_count", defaults.min_count)),
        cooldown=duration("cooldown", "2h"),
        viral_growth=float(alerts.get("viral_growth", defaults.viral_growth)),
    )
    return AlertConfig(rules, targets, routes, float(alerts.get("retry_wait", 2.0)))


def evaluate_alerts(config: Config, engine: Engine, now: datetime) -> dict[str, Any]:
    """Evaluate the alert rules at `now`, then send what is queued; never raises."""
    changes: dict[str, Any] = {}
    try:
        changes = evaluate(
            engine, now, config.alerting.rules, threshold=config.negative_threshold,
            sla=config.sla(), silent_after=timedelta(seconds=config.silent_after_seconds),
            routes=config.alerting.routes,
        )  # fmt: skip
    except Exception:  # the posts are stored already; a failed evaluation is re-run next time
        log.exception("evaluating alerts failed")
    changes["deliveries"] = deliver_pending(config.alerting, engine, now)
    return changes


def deliver_pending(
    alerting: AlertConfig,
    engine: Engine,
    now: datetime,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, int]:
    """Send every queued notification, with retries; record each outcome on its delivery."""
    outcome = {"sent": 0, "pending": 0, "failed": 0}
    for delivery in pending_deliveries(engine):
        target = alerting.targets.get(delivery.target)
        tries = 0
        error: str | None = None
        if target is None:
            error, tries = f"no [notify.{delivery.target}] in the config any more", 1
        else:

            def attempt(target: Target = target, alert: dict = delivery.alert) -> None:
                nonlocal tries
                tries += 1
                send(target, alert)

            retrying = Retrying(
                stop=stop_after_attempt(TRIES_PER_RUN),
                wait=wait_exponential(multiplier=alerting.retry_wait, max=60),
                retry=retry_if_exception(_transient),
                sleep=sleep,
                reraise=True,
            )
            try:
                retrying(attempt)
            except Exception as failure:  # recorded on the delivery; retried next run
                # Redacted before it is cut: a cut through a token would leave half of it.
                error = redact(f"{type(failure).__name__}: {failure}")[:500]
                log.warning("alert %s to %s failed: %s", delivery.alert["id"], target.name, error)
        status = record_attempts(engine, delivery.id, now, tries, error, GIVE_UP_AFTER)
        outcome[status] += 1
    return outcome


class DeliveryError(Exception):
    """A receiver answered but refused the message (robots answer 200 with an error code)."""


def _transient(error: BaseException) -> bool:
    """Whether trying again soon may help: dropped connections, timeouts, 429 and 5xx."""
    import httpx  # here, not at the top: every command reads the alert config, few send

    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code == 429 or error.response.status_code >= 500
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, httpx.TransportError | OSError)


def send_mail(target: Target, to: tuple[str, ...] | list[str], subject: str, text: str,
              attachments: list[tuple[str, bytes, str]]) -> None:  # fmt: skip
    """One message with attachments (name, bytes, MIME type) over the target's SMTP server."""
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, target.sender, ", ".join(to)
    message.set_content(text)
    for name, content, mime in attachments:
        main, sub = mime.split("/", 1)
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    with smtplib.SMTP(target.host, target.port, timeout=SEND_TIMEOUT) as smtp:
        if target.starttls:
            smtp.starttls()
        if target.user:
            smtp.login(target.user, target.password or "")
        smtp.send_message(message)


def send(target: Target, alert: Mapping[str, Any]) -> None:
    """Send one alert to one target; raises when it was not accepted."""
    if target.kind == "email":
        subject = f"[Hundredfold {alert['severity']}] {alert['title']}"
        send_mail(target, target.to, subject, message_text(alert), [])
        return
    import httpx

    response = httpx.post(target.url, json=webhook_body(target.kind, alert), timeout=SEND_TIMEOUT)
    response.raise_for_status()
    try:
        answer = response.json()
    except ValueError:
        return  # a plain "ok" (Slack) or an empty body: accepted
    code = answer.get("errcode", answer.get("code", 0)) if isinstance(answer, dict) else 0
    if code:
        raise DeliveryError(f"{target.kind} refused the message: {answer}")
