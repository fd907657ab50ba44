"""Priority orders complaints by negativity, reach and the SLA clock, and explains itself."""

from __future__ import annotations

import pytest

from sentiment.priority import priority


def test_priority_is_the_product_of_its_factors():
    ranked = priority(0.9, score=99, comments=0, followers=None, hours_elapsed=3, sla_hours=6)
    assert ranked.reach == pytest.approx(3.0)
    assert ranked.urgency == pytest.approx(1.5)
    assert ranked.value == pytest.approx(0.9 * 3.0 * 1.5)


def test_more_reach_more_negativity_and_less_time_left_each_rank_higher():
    base = priority(0.6, 1, 0, None, 1, 6).value
    assert priority(0.6, 500, 40, None, 1, 6).value > base
    assert priority(0.95, 1, 0, None, 1, 6).value > base
    assert priority(0.6, 1, 0, None, 5.5, 6).value > base


def test_urgency_is_capped_when_long_overdue():
    assert priority(0.8, 0, 0, 0, 12, 6).urgency == priority(0.8, 0, 0, 0, 500, 6).urgency == 3.0
