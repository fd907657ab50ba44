"""The Alerts and Team pages through AppTest, over a generated history chosen by configuration."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors.base import Post
from data import ScoredPost, connect
from data.alerts import list_alerts
from data.cases import Actor, claim_case, reply_case
from hundredfold.alerting import evaluate_alerts
from hundredfold.config import config_from_table
from tests.dashboard.signed_in import sign_in_as
from tests.data.alert_history import ANGRY, NOW, burst_posts, everyday_posts, store

VIEWS = Path(__file__).resolve().parents[2] / "dashboard" / "views"
HOSTILE = "<script>alert(1)</script> 包裹丢了 parcel lost <b>now</b>"


@pytest.fixture(scope="module")
def alert_database(tmp_path_factory) -> str:
    """Eight days of complaints, a delivery outage (one post hostile markup), replied cases."""
    url = f"sqlite:///{tmp_path_factory.mktemp('alert-pages') / 'hundredfold.db'}"
    engine = connect(url)
    later = NOW + timedelta(days=2)
    store(engine, everyday_posts(NOW - timedelta(days=8), NOW), later)
    loud = Post("hostile", HOSTILE, published_at=NOW - timedelta(minutes=5), score=999)
    outage = [
        *burst_posts(NOW - timedelta(minutes=50)),
        ScoredPost(loud, "zh", ANGRY, ["delivery"]),
    ]
    store(engine, outage, later)
    fresh = [ScoredPost(Post(f"f{n}", f"退款还没到 {n}", published_at=later), "zh", ANGRY)
             for n in range(3)]  # fmt: skip
    store(engine, fresh, later)
    evaluate_alerts(config_from_table({}), engine, NOW)
    for offset, case_id in enumerate(sorted(row_id for row_id in _fresh_cases(engine))[:2]):
        claim_case(engine, case_id, Actor("ana"), later)
        reply_case(engine, case_id, Actor("ana"), later + timedelta(hours=2 + offset * 6),
                   "https://forum.example/r", include_duplicates=False)  # fmt: skip
    engine.dispose()
    return url


def copy_database(url: str, folder: Path) -> str:
    """A copy of a SQLite database for one test that changes it (SQLite's own backup)."""
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as source:
        with sqlite3.connect(folder / "copy.db") as copy:
            source.backup(copy)
    return f"sqlite:///{folder / 'copy.db'}"


def _fresh_cases(engine) -> list[int]:
    """Ids of the cases that are not backfills."""
    from sqlalchemy import select

    from data.schema import cases

    with engine.connect() as connection:
        return list(
            connection.execute(select(cases.c.id).where(cases.c.backfill.is_(False))).scalars()
        )


def page(url: str, name: str, language: str, monkeypatch) -> AppTest:
    """Run one view on the database, in `language`."""
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", url)
    app = AppTest.from_file(str(VIEWS / name), default_timeout=60)
    app.session_state["language"] = language
    app.session_state["team_period"] = "period_all"
    app.run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("name", ["alerts.py", "team.py"])
def test_pages_render_in_both_languages(alert_database, monkeypatch, name, language):
    app = page(alert_database, name, language, monkeypatch)
    titles = {"alerts.py": {"zh": "告警", "en": "Alerts"}, "team.py": {"zh": "团队", "en": "Team"}}
    assert app.title[0].value == titles[name][language]


def test_alert_shows_its_explanation_and_hostile_text_stays_text(alert_database, monkeypatch):
    app = page(alert_database, "alerts.py", "en", monkeypatch)
    texts = [element.value for element in app.text]
    # Said from the alert's kind and details, not its stored English title.
    assert (
        "33 complaints in the last 1 hour, about 4.4 at these hours usually, mostly delivery"
        in (texts)
    )
    tables = [frame.value for frame in app.dataframe]
    assert any("Term" in table.columns and "lost" in set(table["Term"]) for table in tables)
    assert any("Text" in table.columns and HOSTILE in set(table["Text"]) for table in tables)
    assert all("<script>" not in value for value in app.markdown.values)


def test_only_a_lead_acknowledges_and_the_alert_names_them(alert_database, tmp_path, monkeypatch):
    url = copy_database(alert_database, tmp_path)
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", url)
    manager = sign_in_as(AppTest.from_file(str(VIEWS / "alerts.py"), default_timeout=60), "bo")
    manager.session_state["language"] = "en"
    manager.run()
    assert not [b for b in manager.button if b.key and b.key.startswith("ack-")]
    assert "Support leads acknowledge and snooze alerts." in [c.value for c in manager.caption]
    app = sign_in_as(AppTest.from_file(str(VIEWS / "alerts.py"), default_timeout=60), "lin", "lead")
    app.session_state["language"] = "en"
    app.run()
    [ack] = [b for b in app.button if b.key and b.key.startswith("ack-")]
    ack.click().run()
    assert not app.exception
    [alert] = list_alerts(connect(url), NOW)
    assert alert["acknowledged_by"] == "lin"


def test_team_page_shows_reply_figures_and_backlog(alert_database, monkeypatch):
    app = page(alert_database, "team.py", "en", monkeypatch)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["First reply (median)"] == "5.0 h"  # replies after 2 h and 8 h
    assert metrics["Within SLA"] == "33%"  # of three fresh cases, one answered in time
    managers = app.dataframe[0].value
    assert list(managers["Manager"]) == ["ana", "unassigned"]
