"""Priority orders complaints by lane first, then negativity, reach and the SLA clock."""

from __future__ import annotations

import pytest

from sentiment.priority import priority


def test_priority_is_the_product_of_its_factors():
    ranked = priority(0.9, score=99, comments=0, followers=None, hours_elapsed=3, sla_hours=6)
    assert ranked.reach == pytest.approx(3.0)
    assert ranked.urgency == pytest.approx(2.0)
    assert ranked.value == pytest.approx(0.9 * 3.0 * 2.0)


def test_more_reach_more_negativity_and_less_time_left_each_rank_higher():
    base = priority(0.6, 1, 0, None, 1, 6).value
    assert priority(0.6, 500, 40, None, 1, 6).value > base
    assert priority(0.95, 1, 0, None, 1, 6).value > base
    assert priority(0.6, 1, 0, None, 5.5, 6).value > base


def test_urgency_reaches_three_at_the_deadline_and_falls_back_with_time_overdue():
    assert priority(0.8, 0, 0, 0, 6, 6).urgency == pytest.approx(3.0)
    just_missed = priority(0.8, 0, 0, 0, 8, 6, lane="overdue", hours_overdue=2).urgency
    month_late = priority(0.8, 0, 0, 0, 726, 6, lane="overdue", hours_overdue=720).urgency
    assert 3.0 > just_missed > month_late > 0


def test_backfill_and_answered_cases_carry_no_urgency():
    assert priority(0.8, 0, 0, 0, 500, 6, lane="backfill").urgency == 1.0
    assert priority(0.8, 0, 0, 0, 2, 6, lane="answered").urgency == 1.0


def test_lane_comes_before_priority_in_the_order():
    in_time = priority(0.5, 0, 0, 0, 0.1, 6)
    loud_but_late = priority(1.0, 10**6, 10**4, 10**8, 30, 6, lane="overdue", hours_overdue=24)
    assert loud_but_late.value > in_time.value
    assert in_time.sort_key < loud_but_late.sort_key
