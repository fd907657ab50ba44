"""`hundredfold demo` tells its story: a team at work, made by the real collections, case
transitions and alert rules at past moments."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select

from data.schema import alerts, case_events, cases, posts
from data.team import case_timings, reply_figures, team_figures
from hundredfold.cli import main
from hundredfold.demo.team import MANAGERS
from hundredfold.pipeline import utc_now


@pytest.fixture(scope="module")
def full_demo(tmp_path_factory) -> tuple[str, datetime]:
    """The whole demo, loaded once, and roughly when ("now" at load time)."""
    folder = tmp_path_factory.mktemp("history")
    url = f"sqlite:///{folder / 'hundredfold.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUNDREDFOLD_DATABASE_URL", url)
        assert main(["demo", "--no-serve", "--json"]) == 0
    return url, utc_now()


def rows(url: str, query) -> list:
    """All rows of a query on the demo database."""
    with create_engine(url).connect() as connection:
        return list(connection.execute(query))


def test_three_managers_answered_most_older_cases_some_late_a_few_forgotten(full_demo):
    url, now = full_demo
    timings = case_timings(create_engine(url), now - timedelta(days=30), now, _sla())
    worked = timings[~timings["backfill"].astype(bool)]
    assert set(worked["assignee"].dropna()) == set(MANAGERS)
    older = worked[worked["published_at"] < now - timedelta(days=2)]
    answered = older["first_reply_at"].notna().mean()
    assert 0.8 < answered < 0.99  # mostly answered, a few forgotten
    late = (older["reply_hours"].dropna() > 6).mean()
    assert 0.05 < late < 0.45  # some answered late
    [overall] = team_figures(timings).to_dict("records")
    assert 0.4 < overall["resolution_rate"] < 0.95
    figures = reply_figures(create_engine(url), now - timedelta(days=30), now, 6.0)
    assert 0.55 < figures["within_sla_share"] < 0.9
    assert 0.5 < figures["reply_hours_median"] < 6


def test_every_step_came_after_its_collection_in_the_order_the_transitions_allow(full_demo):
    url, now = full_demo
    events = rows(url, select(case_events, cases.c.opened_at).join(cases).order_by(
        case_events.c.case_id, case_events.c.at, case_events.c.id))  # fmt: skip
    assert len(events) > 1000
    status: dict[int, str] = {}
    for event in events:
        assert event.opened_at <= event.at <= now + timedelta(minutes=1)
        assert status.get(event.case_id, "new") == event.from_status  # a chain, no jumps
        status[event.case_id] = event.to_status
    # Opened by collections spread over four weeks, not one load at "now".
    opened = {row.opened_at for row in rows(url, select(cases.c.opened_at).distinct())}
    assert len(opened) > 100
    collected = rows(url, select(posts.c.collected_at, posts.c.published_at))
    assert all(row.published_at <= row.collected_at for row in collected)


def test_the_refund_burst_raised_a_spike_naming_refunds_at_the_time_it_happened(full_demo):
    url, now = full_demo
    spikes = rows(url, select(alerts).where(alerts.c.kind == "spike"))
    assert spikes
    first = min(spikes, key=lambda row: row.opened_at)
    assert now - timedelta(days=4.5) < first.opened_at.replace(tzinfo=UTC) < now - timedelta(days=2)
    details = first.details if isinstance(first.details, dict) else json.loads(first.details)
    assert "refund" in details["spiking_topics"]
    assert details["topics"][0]["topic"] == "refund"
    kinds = {row.kind for row in rows(url, select(alerts.c.kind))}
    assert {"spike", "sla_warning", "overdue"} <= kinds


def test_a_sample_has_a_history_too_and_loading_again_changes_none_of_it(database_url, monkeypatch):
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", database_url)
    assert main(["demo", "--no-serve", "--limit", "200", "--json"]) == 0
    url = database_url
    actors = {row.actor for row in rows(url, select(case_events.c.actor))}
    assert actors & set(MANAGERS)
    before = (len(rows(url, select(case_events))), len(rows(url, select(posts))))
    assert before[0] > 0
    assert main(["demo", "--no-serve", "--limit", "200", "--json"]) == 0
    after = (len(rows(url, select(case_events))), len(rows(url, select(posts))))
    assert after == before


def _sla():
    """The demo's SLA policy (the defaults)."""
    from data.sla import SlaPolicy

    return SlaPolicy()
