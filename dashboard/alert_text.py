"""An alert as a reader reads it: its sentence composed in the reader's language from the
alert's kind and details (the stored English title is for the command line and the
receivers), and where in the queue it leads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard.charts import topic_label
from dashboard.i18n import t, value_label
from dashboard.numbers import format_age, format_count, format_duration, local_time
from hundredfold.config import Config


def _figure(value: Any) -> str:
    """A baseline or a rate as a reader says it: '2.3', '12', '?' when it is missing."""
    if not isinstance(value, int | float):
        return "?"
    return f"{value:.1f}".removesuffix(".0")


def _window(details: dict[str, Any], lang: str) -> str:
    """The spike's window ('1 hour'), from its stored bounds (an hour when they are missing)."""
    try:
        start = datetime.fromisoformat(details["window_start"])
        end = datetime.fromisoformat(details["window_end"])
    except (KeyError, TypeError, ValueError):
        return format_duration(3600, lang)
    return format_duration((end - start).total_seconds(), lang)


def _topics(keys: list[str], lang: str) -> str:
    """Topic keys as the reader calls them, listed."""
    return ("、" if lang == "zh" else ", ").join(topic_label(key, lang) for key in keys)


def alert_sentence(alert: dict[str, Any], lang: str, settings: Config, now: datetime) -> str:
    """What the alert says, in `lang`, with its times on the configured clock."""
    kind, details = alert["kind"], alert.get("details") or {}
    zone = settings.timezone
    count = details.get("count", "?")
    if kind == "spike":
        spiking = list(details.get("spiking_topics") or [])
        window, usual = _window(details, lang), _figure(details.get("baseline_mean"))
        if str(alert.get("dedupe_key", "")).startswith("spike:topic:") and spiking:
            return t("alert_spike_topic", lang, count=count, topic=topic_label(spiking[0], lang),
                     window=window, usual=usual)  # fmt: skip
        sentence = t("alert_spike_brand", lang, count=count, window=window, usual=usual)
        return sentence + (t("alert_spike_mostly", lang, topics=_topics(spiking, lang))
                           if spiking else "")  # fmt: skip
    if kind == "new_topic":
        days = settings.alerting.rules.baseline_days
        topic = topic_label(str(details.get("topic", "")), lang)
        return t("alert_new_topic_text", lang, count=count, days=days, topic=topic)
    if kind == "overdue":
        oldest = details.get("oldest_published_at")
        waited = format_age(datetime.fromisoformat(oldest), now, lang) if oldest else "?"
        return t("alert_overdue_text", lang, count=format_count(int(count or 0), lang),
                 channel=value_label("channel", str(details.get("channel", "")), lang),
                 hours=f"{settings.sla_hours:g}", waited=waited)  # fmt: skip
    if kind == "sla_warning":
        return t("alert_sla_warning_text", lang, case_id=details.get("case_id", "?"),
                 due=local_time(details.get("due_at"), zone))  # fmt: skip
    if kind == "viral":
        return t("alert_viral_text", lang, per_hour=_figure(details.get("gained_per_hour")),
                 reach=details.get("reach", "?"))  # fmt: skip
    if kind == "silent_source":
        return t("alert_silent_source_text", lang, source=details.get("source", "?"),
                 span=format_duration(settings.silent_after_seconds, lang),
                 last=local_time(details.get("last_new_post_at"), zone))  # fmt: skip
    return t("alert_unknown_text", lang, kind=kind)


def queue_link(alert: dict[str, Any], lang: str) -> tuple[str, dict[str, str]] | None:
    """(label, query parameters) of the queue narrowed to what the alert is about; None for
    an alert about no case (a silent source)."""
    kind, details = alert["kind"], alert.get("details") or {}
    case_id = details.get("case_id")
    if kind in ("sla_warning", "viral") and case_id is not None:
        return t("alert_open_case", lang, case_id=case_id), {"case": str(case_id), "lang": lang}
    if kind == "overdue" and details.get("channel"):
        channel = str(details["channel"])
        label = t("alert_open_lane", lang, channel=value_label("channel", channel, lang))
        return label, {"channel": channel, "view": "overdue", "lang": lang}
    topics = list(details.get("spiking_topics") or [])
    if kind in ("spike", "new_topic") and topics:
        return t("alert_open_topics", lang), {"topic": ",".join(topics), "lang": lang}
    return None


def waited(published_at: str | None, now: datetime, lang: str) -> str:
    """How long a listed case has waited since it was posted."""
    if not published_at:
        return "—"
    return format_age(datetime.fromisoformat(published_at), now, lang)
