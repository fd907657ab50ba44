"""The SLA clock: plain hours, business hours across a weekend, due times."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data.sla import SlaPolicy, parse_business_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_3PM = datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI)
OFFICE = parse_business_hours(
    {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "18:00"},
    "Asia/Shanghai",
)


def test_a_reply_at_5h59_is_within_six_hours_and_6h01_is_not():
    policy = SlaPolicy(6)
    assert policy.within(FRIDAY_3PM, FRIDAY_3PM + timedelta(hours=5, minutes=59))
    assert not policy.within(FRIDAY_3PM, FRIDAY_3PM + timedelta(hours=6, minutes=1))


def test_business_hours_stop_the_clock_over_the_weekend():
    policy = SlaPolicy(6, OFFICE)
    # Friday 15:00-18:00 counts 3 h; the weekend counts nothing; Monday from 09:00.
    assert policy.due_at(FRIDAY_3PM) == datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)
    monday = datetime(2026, 11, 23, 11, 59, tzinfo=SHANGHAI)
    assert policy.within(FRIDAY_3PM, monday)
    assert not policy.within(FRIDAY_3PM, monday + timedelta(minutes=2))
    assert policy.elapsed(FRIDAY_3PM, datetime(2026, 11, 22, 23, 0, tzinfo=SHANGHAI)) == 3.0


def test_a_post_on_saturday_starts_its_clock_on_monday_morning():
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI)
    assert SlaPolicy(6, OFFICE).due_at(saturday) == datetime(2026, 11, 23, 15, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("table", "message"),
    [({"days": ["funday"]}, "unknown day"), ({"start": "18:00", "end": "09:00"}, "must be after")],
)
def test_bad_business_hours_are_named(table, message):
    with pytest.raises(ValueError, match=message):
        parse_business_hours(table, "UTC")


@given(
    start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                       timezones=st.just(SHANGHAI)),
    hours=st.floats(min_value=0.5, max_value=48),
)  # fmt: skip
def test_the_clock_reads_exactly_the_sla_at_the_due_time(start, hours):
    policy = SlaPolicy(hours, OFFICE)
    assert policy.elapsed(start, policy.due_at(start)) == pytest.approx(hours, abs=1e-6)
