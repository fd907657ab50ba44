"""The SLA clock: hours that count toward a reply, in plain or business hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    """Working days and hours in a time zone: only these count on the SLA clock."""

    days: frozenset[int]  # 0 = Monday
    start: time
    end: time
    zone: str

    def _windows(self, first: date, last: date):
        """The working windows (aware UTC start, end) on each day from `first` to `last`."""
        zone = ZoneInfo(self.zone)
        day = first
        while day <= last:
            if day.weekday() in self.days:
                opens = datetime.combine(day, self.start, zone).astimezone(UTC)
                closes = datetime.combine(day, self.end, zone).astimezone(UTC)
                yield opens, closes
            day += timedelta(days=1)


@dataclass(frozen=True)
class SlaPolicy:
    """How long a complaint may wait for a public reply, and which hours count."""

    hours: float = 6.0
    business_hours: BusinessHours | None = None

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Hours on the clock between `start` and `end` (0 when end is before start)."""
        if end <= start:
            return 0.0
        if self.business_hours is None:
            return (end - start).total_seconds() / 3600
        zone = ZoneInfo(self.business_hours.zone)
        first = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date() + timedelta(days=1)
        seconds = 0.0
        for opens, closes in self.business_hours._windows(first, last):
            overlap = min(closes, end) - max(opens, start)
            seconds += max(0.0, overlap.total_seconds())
        return seconds / 3600

    def due_at(self, start: datetime) -> datetime:
        """When the clock started at `start` runs out."""
        if self.business_hours is None:
            return start + timedelta(hours=self.hours)
        remaining = timedelta(hours=self.hours)
        zone = ZoneInfo(self.business_hours.zone)
        day = start.astimezone(zone).date() - timedelta(days=1)
        # A week of windows at a time: SLAs are hours, so this ends within a few weeks.
        while True:
            for opens, closes in self.business_hours._windows(day, day + timedelta(days=6)):
                begin = max(opens, start)
                if begin >= closes:
                    continue
                if closes - begin >= remaining:
                    return begin + remaining
                remaining -= closes - begin
            day += timedelta(days=7)

    def within(self, start: datetime, replied_at: datetime) -> bool:
        """Whether a reply at `replied_at` met the SLA for a post published at `start`."""
        return self.elapsed(start, replied_at) <= self.hours


def parse_business_hours(table: dict, zone: str) -> BusinessHours:
    """BusinessHours from `{ days = ["mon", ...], start = "09:00", end = "18:00" }`."""
    days = table.get("days", ["mon", "tue", "wed", "thu", "fri"])
    unknown = [day for day in days if str(day).lower()[:3] not in DAY_NAMES]
    if unknown:
        raise ValueError(f"days: unknown day {unknown[0]!r} (use {', '.join(DAY_NAMES)})")
    start = time.fromisoformat(str(table.get("start", "09:00")))
    end = time.fromisoformat(str(table.get("end", "18:00")))
    if end <= start:
        raise ValueError(f"end {end:%H:%M} must be after start {start:%H:%M}")
    numbers = frozenset(DAY_NAMES.index(str(day).lower()[:3]) for day in days)
    return BusinessHours(numbers, start, end, zone)


# The design's expectation: a public reply within 6 hours, around the clock.
DEFAULT_SLA = SlaPolicy()
