"""Numbers and times formatted for the reader's language: counts, shares, changes, ages,
durations, and moments on the configured clock."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from dashboard.i18n import t


def format_count(value: int, language: str, signed: bool = False) -> str:
    """A count with thousands separators ('1,234'); Chinese uses 万 from ten thousand up."""
    sign = "+" if signed and value > 0 else ""
    if language == "zh" and abs(value) >= 10_000:
        return f"{sign}{value / 10_000:.1f} 万"
    return f"{sign}{value:,}"


def format_share(share: float) -> str:
    """A share as a percentage with one decimal ('12.5%')."""
    return f"{share:.1%}"


def share_delta(current: float, previous: float) -> str:
    """The change of a share in percentage points ('+3.1 pp')."""
    return f"{(current - previous) * 100:+.1f} pp"


def format_age(published_at: datetime, now: datetime, language: str) -> str:
    """How long ago, in the largest whole unit: '45 min', '7 h', '3 d'."""
    minutes = max(0, int((now - published_at).total_seconds() // 60))
    if minutes < 60:
        return t("minutes_short", language, n=minutes)
    if minutes < 48 * 60:
        return t("hours_short", language, n=minutes // 60)
    return t("days_short", language, n=minutes // (24 * 60))


def format_duration(seconds: float, language: str) -> str:
    """A length of time in words, in its largest whole unit: '1 day', '6 hours', '40 min'."""
    seconds = abs(int(seconds))
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds >= size and (seconds % size == 0 or seconds >= 2 * size):
            amount = seconds // size
            return t(f"span_{unit}_long" if amount == 1 else f"span_{unit}s_long", language,
                     n=amount)  # fmt: skip
    return t("span_minutes_long", language, n=max(1, seconds // 60))


def format_ago(moment: datetime, now: datetime, language: str) -> str:
    """How long ago, as a reader says it: '3 分钟前', '3 min ago', 'just now'."""
    if (now - moment).total_seconds() < 60:
        return t("just_now", language)
    return t("ago", language, span=format_age(moment, now, language))


def local_time(moment: object, zone: str, with_date: bool = True) -> str:
    """A stored moment (aware datetime, Timestamp or ISO text) on the configured clock."""
    if moment is None or (isinstance(moment, float) and moment != moment):
        return "—"
    stamp = pd.Timestamp(moment)
    if pd.isna(stamp):
        return "—"
    stamp = (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).tz_convert(zone)
    return stamp.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")
