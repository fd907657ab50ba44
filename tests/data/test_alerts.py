"""Alert evaluation on a generated history: spikes told once and why, overdue cases at the SLA."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collectors.base import Post
from data import ScoredPost, connect
from data.access import Actor
from data.alerts import AlertRefused, AlertSettings, acknowledge_alert, evaluate, list_alerts
from data.sla import SlaPolicy
from tests.data.alert_history import ANGRY, NOW, burst_posts, everyday_posts, store

SETTINGS = AlertSettings(cooldown=timedelta(hours=2))
ROUTES = {"spike": ["hook"], "overdue": ["hook"], "new_topic": ["hook"]}
LATER = NOW + timedelta(days=2)  # every history post is collected then: all backfill, no SLA


def run(engine, now, settings=SETTINGS):
    """One evaluation as the pipeline runs it after a collection."""
    return evaluate(engine, now, settings, threshold=0.5, sla=SlaPolicy(6),
                    silent_after=timedelta(days=30), routes=ROUTES)  # fmt: skip


@pytest.fixture
def quiet_engine(database_url):
    """Ten days of everyday complaints up to a day past NOW, with no burst."""
    engine = connect(database_url)
    store(engine, everyday_posts(NOW - timedelta(days=10), NOW + timedelta(days=1)), LATER)
    yield engine
    engine.dispose()


@pytest.fixture
def engine_with_burst(quiet_engine):
    """The same history with a delivery outage in the hour before NOW."""
    store(quiet_engine, burst_posts(NOW - timedelta(minutes=50)), LATER)
    return quiet_engine


def test_history_without_a_burst_fires_nothing(quiet_engine):
    moment = NOW - timedelta(days=1)
    while moment <= NOW + timedelta(hours=12):
        assert run(quiet_engine, moment)["opened"] == [], moment
        moment += timedelta(minutes=20)
    assert list_alerts(quiet_engine, NOW, closed=True) == []


def test_burst_fires_one_alert_naming_topic_terms_posts_and_channels(engine_with_burst):
    assert run(engine_with_burst, NOW - timedelta(hours=1))["opened"] == []
    opened = run(engine_with_burst, NOW)["opened"]
    assert len(opened) == 1
    [alert] = list_alerts(engine_with_burst, NOW)
    assert (alert["kind"], alert["severity"]) == ("spike", "critical")
    details = alert["details"]
    assert details["spiking_topics"] == ["delivery"]
    assert details["count"] >= 25 and details["baseline_mean"] < 10
    terms = [entry["term"] for entry in details["terms"]]
    assert "lost" in terms and "包裹" in terms
    assert "质量" not in terms  # everyday words are not what changed
    assert [post["reach"] for post in details["top_posts"]] == [148, 146, 144]
    assert all("lost" in post["text"] or "丢" in post["text"] for post in details["top_posts"])
    assert details["channels"]["forum"] == details["count"]
    assert [d["target"] for d in alert["deliveries"]] == ["hook"]


def test_spike_stays_one_alert_then_closes_and_cools_down(engine_with_burst):
    [first] = run(engine_with_burst, NOW)["opened"]
    again = run(engine_with_burst, NOW + timedelta(minutes=20))
    assert (again["opened"], again["still_open"]) == ([], [first])
    assert run(engine_with_burst, NOW + timedelta(hours=1))["closed"] == [first]
    # A second outage an hour after the first closed: within the cooldown, not told again.
    store(engine_with_burst, burst_posts(NOW + timedelta(hours=1, minutes=10)), LATER)
    assert run(engine_with_burst, NOW + timedelta(hours=2))["opened"] == []
    # A third, after the cooldown: a new alert.
    store(engine_with_burst, burst_posts(NOW + timedelta(hours=5, minutes=10)), LATER)
    assert len(run(engine_with_burst, NOW + timedelta(hours=6))["opened"]) == 1
    history = list_alerts(engine_with_burst, NOW + timedelta(hours=6), closed=True)
    assert [row["id"] for row in history] == [first]
    assert len(history[0]["deliveries"]) == 1


def test_new_topic_is_told_when_a_topic_without_history_appears(quiet_engine):
    novel = [
        ScoredPost(Post(f"pay-{n}", f"付款失败，扣款两次 payment failed {n}",
                        published_at=NOW - timedelta(minutes=30 - n)), "zh", ANGRY, ["payment"])
        for n in range(3)
    ]  # fmt: skip
    store(quiet_engine, novel, LATER)
    run(quiet_engine, NOW)
    [alert] = list_alerts(quiet_engine, NOW)
    assert (alert["kind"], alert["dedupe_key"]) == ("new_topic", "new_topic:payment")


def test_overdue_case_raises_its_alert_at_the_sla_not_before(database_url):
    engine = connect(database_url)
    published = NOW - timedelta(hours=1)
    late = ScoredPost(Post("old", "三天前的投诉没人理", published_at=NOW - timedelta(hours=9)),
                      "zh", ANGRY)  # fmt: skip
    fresh = ScoredPost(Post("fresh", "退款一直不到账", published_at=published), "zh", ANGRY)
    store(engine, [late, fresh], NOW)
    due = published + timedelta(hours=6)
    before = run(engine, due - timedelta(seconds=1))
    assert [a["kind"] for a in list_alerts(engine, due)] == ["sla_warning"]  # 80% passed
    opened = run(engine, due)["opened"]
    kinds = {a["id"]: a["kind"] for a in list_alerts(engine, due)}
    assert [kinds[i] for i in opened] == ["overdue"]
    assert before["opened"] and before["opened"][0] not in kinds  # the warning gave way
    [overdue] = list_alerts(engine, due)
    # One alert for the channel; the nine-hour-old post came in late (backfill): not in it.
    assert overdue["dedupe_key"] == "overdue:channel:forum"
    assert overdue["title"] == "1 complaint on forum past the 6-hour target, oldest 6 hours"
    [case] = overdue["details"]["cases"]
    assert (case["case_id"], case["text"], overdue["details"]["count"]) == (2, "退款一直不到账", 1)
    engine.dispose()


def test_a_forgotten_backlog_is_one_alert_per_channel_opened_once(database_url):
    engine = connect(database_url)
    posts = [
        ScoredPost(Post(f"c{n}", f"退款第{n}次没到账", published_at=NOW - timedelta(minutes=n)),
                   "zh", ANGRY)
        for n in range(120)
    ]  # fmt: skip
    store(engine, posts, NOW)
    first = run(engine, NOW + timedelta(days=3))
    assert len(first["opened"]) == 1  # not 120
    [alert] = list_alerts(engine, NOW + timedelta(days=3))
    assert alert["title"] == "120 complaints on forum past the 6-hour target, oldest 3 days"
    listed = alert["details"]["cases"]
    assert len(listed) == 50 and listed[0]["text"] == "退款第119次没到账"  # oldest first
    later = run(engine, NOW + timedelta(days=3, hours=1))
    assert later["opened"] == [] and later["still_open"] == first["opened"]
    engine.dispose()


LIN, BO = Actor("lin", "lead"), Actor("bo", "lead")


def test_acknowledge_by_name_and_refusals(engine_with_burst):
    [alert_id] = run(engine_with_burst, NOW)["opened"]
    assert acknowledge_alert(engine_with_burst, alert_id, LIN, NOW) is True
    assert acknowledge_alert(engine_with_burst, alert_id, LIN, NOW) is False
    with pytest.raises(AlertRefused, match="acknowledged by lin"):
        acknowledge_alert(engine_with_burst, alert_id, BO, NOW)
    [row] = list_alerts(engine_with_burst, NOW)
    assert (row["status"], row["acknowledged_by"]) == ("acknowledged", "lin")
    with pytest.raises(AlertRefused, match="does not exist"):
        acknowledge_alert(engine_with_burst, 999, LIN, NOW)


def test_complaint_gaining_reach_fast_is_viral_and_silent_source_is_told(database_url):
    engine = connect(database_url)
    published = NOW - timedelta(hours=3)

    def seen(score: int, at) -> None:
        post = Post("v1", "客服太差了 worst support", published_at=published, score=score)
        store(engine, [ScoredPost(post, "zh", ANGRY)], at, name="social")

    seen(10, NOW - timedelta(minutes=50))
    seen(200, NOW - timedelta(minutes=5))
    store(engine, everyday_posts(NOW - timedelta(days=3), NOW - timedelta(days=2)),
          NOW - timedelta(days=2), name="quiet-feed")  # fmt: skip
    evaluate(engine, NOW, SETTINGS, threshold=0.5, sla=SlaPolicy(6),
             silent_after=timedelta(hours=24), routes=ROUTES)  # fmt: skip
    found = {alert["kind"]: alert for alert in list_alerts(engine, NOW)}
    assert found["viral"]["details"]["gained_per_hour"] == 190.0
    assert found["silent_source"]["dedupe_key"] == "silent_source:quiet-feed"
    assert "social" not in found["silent_source"]["dedupe_key"]
    engine.dispose()


def test_backlog_counts_unanswered_cases_by_age(database_url):
    from data.alert_backlog import backlog_by_age

    engine = connect(database_url)
    ages = {"a": 0.5, "b": 3, "c": 30, "old": 100}
    store(engine, [ScoredPost(Post(k, f"差评 {k}", published_at=NOW - timedelta(hours=h)), "zh",
                              ANGRY) for k, h in ages.items()], NOW)  # fmt: skip
    backlog = backlog_by_age(engine, NOW).set_index("band")
    assert backlog["cases"].to_dict() == {"<1h": 1, "1-6h": 1, "6-24h": 0, "1-3d": 0, ">3d": 0}
    assert backlog["backfill"].to_dict() == {"<1h": 0, "1-6h": 0, "6-24h": 0, "1-3d": 1, ">3d": 1}
    engine.dispose()
