"""Numbers formatted for the reader's language: counts, shares, changes, ages."""

from __future__ import annotations

from datetime import datetime

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
