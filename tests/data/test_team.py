"""Team figures from real cases: reply times, the SLA share (backfills apart), resolution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.cases import Actor, claim_case, reply_case, resolve_case
from data.sla import DEFAULT_SLA, SlaPolicy, parse_business_hours
from data.team import case_timings, reply_figures, team_figures
from sentiment.record import from_probs

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = from_probs(0.9, 0.05, 0.05, "test-model-1")


@pytest.fixture
def engine(database_url):
    """A database with four complaints: three fresh, one already late when collected."""
    engine = connect(database_url)
    source = sync_sources(engine, [SourceSpec("f", "rss", "forum", {}, 900)])["f"]
    items = [
        ScoredPost(Post(f"p{n}", f"complaint {n}", published_at=NOW), "en", ANGRY)
        for n in range(3)
    ] + [ScoredPost(Post("old", "old complaint", published_at=NOW - timedelta(days=2)), "en",
                    ANGRY)]  # fmt: skip
    save_batch(engine, source.id, "forum", items, {}, now=NOW, threshold=0.5)
    yield engine
    engine.dispose()


def test_replies_at_5h59_and_6h01_split_the_sla_share(engine):
    ana, bo = Actor("ana"), Actor("bo")
    for case_id, actor, after in ((1, ana, timedelta(hours=5, minutes=59)),
                                  (2, bo, timedelta(hours=6, minutes=1))):  # fmt: skip
        claim_case(engine, case_id, actor, NOW)
        reply_case(engine, case_id, actor, NOW + after, "https://x.example/r",
                   include_duplicates=False)  # fmt: skip
    resolve_case(engine, 1, ana, NOW + timedelta(hours=7))
    timings = case_timings(engine, None, None, SlaPolicy(6))
    [overall] = team_figures(timings).to_dict("records")
    assert (overall["cases"], overall["replied"], overall["backfill"]) == (4, 2, 1)
    assert overall["within_sla_share"] == pytest.approx(1 / 3)  # backfill counted apart
    assert overall["resolution_rate"] == pytest.approx(1 / 4)
    assert overall["reply_hours_median"] == pytest.approx(6.0)
    per_manager = team_figures(timings, by="assignee").set_index("assignee")
    assert per_manager.loc["ana", "within_sla_share"] == 1.0
    assert per_manager.loc["bo", "within_sla_share"] == 0.0


def _reply(engine, case_id: int, actor: Actor, after: timedelta, sla=DEFAULT_SLA) -> None:
    """Claim a case and record its reply `after` its post was published."""
    claim_case(engine, case_id, actor, NOW)
    reply_case(engine, case_id, actor, NOW + after, "https://x.example/r",
               include_duplicates=False, sla=sla)  # fmt: skip


def test_overview_reply_figures_are_the_team_page_s_figures_in_sql(engine):
    assert reply_figures(engine, None, None, 6) == {
        "within_sla_share": 0.0, "reply_hours_median": None,
    }  # fmt: skip
    for case_id, after in ((1, timedelta(hours=5, minutes=59)), (2, timedelta(hours=6, minutes=1))):
        _reply(engine, case_id, Actor("ana"), after)
    figures = reply_figures(engine, None, None, 6)
    [overall] = team_figures(case_timings(engine, None, None, SlaPolicy(6))).to_dict("records")
    assert figures["within_sla_share"] == pytest.approx(overall["within_sla_share"]) == 1 / 3
    assert figures["reply_hours_median"] == pytest.approx(overall["reply_hours_median"]) == 6.0
    _reply(engine, 3, Actor("bo"), timedelta(hours=1))  # an odd count: the middle value
    assert reply_figures(engine, None, None, 6)["reply_hours_median"] == pytest.approx(5 + 59 / 60)
    later = reply_figures(engine, NOW + timedelta(minutes=1), None, 6)  # no case opened since
    assert later == {"within_sla_share": None, "reply_hours_median": None}


def test_reply_hours_follow_the_business_clock_of_the_reply(engine):
    office = SlaPolicy(6, parse_business_hours({"start": "09:00", "end": "18:00"}, "UTC"))
    # Published Friday 08:00 UTC; replied Monday 10:00: 9 hours on Friday + 1 on Monday.
    friday = NOW
    assert friday.weekday() == 4
    _reply(engine, 1, Actor("ana"), timedelta(days=3, hours=2), sla=office)
    [row] = case_timings(engine, None, None, office).query("case_id == 1").to_dict("records")
    assert row["reply_hours"] == pytest.approx(10.0)
    assert not row["within_sla"]
