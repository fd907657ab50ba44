"""The reply queue page through AppTest: its order, its views, a flow that stays on the case,
bulk actions, and nothing on the page that is not meant for a reader."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from data import connect
from data.cases import Actor, claim_case
from data.queue import QueueFilter, ranked_cases
from data.schema import case_events, cases
from tests.dashboard.signed_in import sign_in_as
from tests.dashboard.test_pages import APP, HOSTILE, PAGES, demo_with_hostile_review

QUEUE = PAGES[1]


@pytest.fixture(scope="module")
def full_demo(tmp_path_factory) -> str:
    """The whole demo (its newest complaints are still inside the SLA) and one hostile review."""
    return demo_with_hostile_review(tmp_path_factory.mktemp("queue"))


@pytest.fixture
def queue_url(full_demo, tmp_path) -> str:
    """A copy of the demo database for one test: the test may change its cases."""
    # SQLite's own backup: a file copy would miss what still sits in the write-ahead log.
    with sqlite3.connect(full_demo.removeprefix("sqlite:///")) as source:
        with sqlite3.connect(tmp_path / "queue.db") as copy:
            source.backup(copy)
    return f"sqlite:///{tmp_path / 'queue.db'}"


@pytest.fixture
def app(queue_url, monkeypatch):
    """The dashboard over the copy."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", queue_url)
    return AppTest.from_file(APP, default_timeout=60)


def open_queue(app, language: str = "en", name: str = "", view: str | None = None):
    """The queue page in `language`, signed with `name`, on `view`."""
    app.session_state["language"] = language
    if name:
        sign_in_as(app, name)
    if view:
        app.session_state["queue_view"] = view
    app.run()
    app.switch_page(QUEUE).run()
    assert not app.exception, app.exception
    return app


def select_rows(app, rows: list[int]):
    """Select rows of the queue table, as clicks on them do."""
    state = app.session_state
    generation = state["queue_table_generation"] if "queue_table_generation" in state else 0
    selection = {"selection": {"rows": rows, "columns": [], "cells": []}}
    app.session_state[f"queue_table_{generation}"] = selection
    return app.run()


def open_case_id(app) -> int:
    """The id of the case the panel shows (its '#id · author …' line)."""
    line = next(text.value for text in app.text if text.value.startswith("#"))
    return int(line.split(" ")[0][1:])


def messages(app) -> list[str]:
    """Every success, info, warning and error shown."""
    return [m.value for kind in ("success", "info", "warning", "error") for m in getattr(app, kind)]


def test_default_view_leads_with_cases_in_time_then_overdue_never_backfill(app, queue_url):
    open_queue(app)
    table = app.dataframe[0].value
    lanes = list(table["Lane"])
    assert lanes and set(lanes) <= {"In time", "Overdue"}
    assert lanes == sorted(lanes, key=["In time", "Overdue"].index)
    for lane in ("In time", "Overdue"):
        priorities = list(table[table["Lane"] == lane]["Priority"])
        assert priorities == sorted(priorities, reverse=True)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    expected = ranked_cases(connect(queue_url), QueueFilter(view="next", now=now))
    assert len(table) == len(expected)
    assert list(table["Time left"])[0].endswith("left")


def test_backfill_has_its_own_view_with_its_count(app):
    open_queue(app, view="backfill")
    table = app.dataframe[0].value
    assert set(table["Lane"]) == {"Backfill"}
    labels = app.get("button_group")[0].proto.options
    backfill_label = next(option.content for option in labels if "Backfill" in option.content)
    assert f"({len(table):,})" in backfill_label


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_nan_none_or_raw_value_anywhere_on_the_page(app, queue_url, language):
    engine = connect(queue_url)
    frame = ranked_cases(engine, QueueFilter(view="all"))
    claim_case(engine, int(frame["case_id"].iloc[-1]), Actor("bo"), datetime.now(UTC))
    open_queue(app, language, name="ana", view="all")
    select_rows(app, [0])
    table = app.dataframe[0].value
    link = table.columns[-1]  # a post without a link shows an empty cell, not a value
    assert all(str(value).startswith("http") or value is None or value != value
               for value in table[link])  # fmt: skip
    cells = [f"{column}={value}" for column in table.columns[:-1] for value in table[column]]
    shown = cells + [element.value for element in app.text] + [c.value for c in app.caption]
    shown += [m.value for m in app.markdown]
    for bad in ("nan", "None", "NaT", "<NA>", "timedelta", "0:00:00"):
        found = [
            value
            for value in shown
            if bad in value.replace("=", " ").split() or f"· {bad}" in value
        ]
        assert not found, (bad, found)
    assert any(" · bo" in status for status in table.iloc[:, 4])


def test_hostile_markup_in_a_post_is_shown_as_text(app):
    open_queue(app, view="all")
    app.text_input(key="queue_search.en").set_value("script").run()
    table = app.dataframe[0].value
    assert len(table) == 1 and "<script>" in table["Text"].iloc[0]
    select_rows(app, [0])
    assert HOSTILE in [element.value for element in app.text]
    assert all("<script>" not in value for value in app.markdown.values)


def test_claim_reply_and_resolve_stay_on_the_case_without_selecting_it_again(app):
    open_queue(app, name="ana")
    select_rows(app, [0])
    case_id = open_case_id(app)
    app.button(key=f"claim-{case_id}").click().run()
    assert "Claimed." in messages(app)
    assert open_case_id(app) == case_id
    app.text_input(key=f"reply-url-{case_id}").set_value("https://forum.example/t/1#2").run()
    app.button(key=f"record-{case_id}").click().run()
    assert "Reply recorded." in messages(app)
    assert open_case_id(app) == case_id  # it left the view, the panel did not
    app.button(key=f"resolve-{case_id}").click().run()
    assert open_case_id(app) == case_id
    history = [text.value for text in app.text if "→" in text.value]
    assert [line.split(" · ")[-1] for line in history] == [
        "new → claimed", "claimed → replied", "replied → resolved",
    ]  # fmt: skip
    app.button(key="next-case").click().run()
    assert open_case_id(app) != case_id


def test_a_note_appears_in_the_history_and_is_not_a_transition(app):
    open_queue(app, name="ana")
    select_rows(app, [0])
    case_id = open_case_id(app)
    app.text_area(key=f"note-{case_id}").set_value("called the customer back").run()
    app.button(key=f"save-note-{case_id}").click().run()
    assert "Note saved." in messages(app)
    assert any(text.value.endswith("note · called the customer back") for text in app.text)


def _resolved(queue_url: str) -> tuple[int, int]:
    """(resolve events, resolved cases) in the database."""
    with connect(queue_url).connect() as connection:
        events = connection.execute(
            select(func.count())
            .select_from(case_events)
            .where(case_events.c.to_status == "resolved")
        ).scalar_one()
        closed = connection.execute(
            select(func.count()).select_from(cases).where(cases.c.status == "resolved")
        ).scalar_one()
    return events, closed


def test_bulk_resolve_in_the_backfill_lane_closes_the_late_and_names_the_forgotten(app, queue_url):
    open_queue(app, name="ana", view="backfill")
    assert len(app.dataframe[0].value) >= 50
    select_rows(app, list(range(50)))
    assert "50 cases selected" in [caption.value for caption in app.caption]
    before = _resolved(queue_url)
    app.button(key="bulk-resolve").click().run()
    [message] = messages(app)
    done = int(message.split(" done.")[0])
    after = _resolved(queue_url)
    # Posts late when collected close without a reply; cases forgotten past stale_after (the
    # lane's other half) must still be answered, and each is refused with the reason.
    assert after == (before[0] + done, before[1] + done) and done > 0
    if done < 50:
        assert f"{50 - done} refused" in message and "record the reply first" in message


def test_bulk_claim_refuses_per_case_with_the_reason(app, queue_url):
    engine = connect(queue_url)
    frame = ranked_cases(engine, QueueFilter(view="next"))
    claim_case(
        engine, int(frame["case_id"].iloc[1]), Actor("bo"), datetime.now(UTC) - timedelta(minutes=1)
    )
    open_queue(app, name="ana")
    select_rows(app, [0, 1])
    app.button(key="bulk-claim").click().run()
    [warning] = [m.value for m in app.warning]
    assert "1 done." in warning and "already claimed by bo" in warning
