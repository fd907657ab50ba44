"""A reply sent from the queue page goes out on Reddit (the fake Reddit API on 127.0.0.1)
once, through a 503 and a second click, and the case stays open from claim to resolve."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.queue import QueueFilter, ranked_cases
from tests.dashboard.signed_in import sign_in_as
from tests.dashboard.test_pages import APP, PAGES
from tests.dashboard.test_queue_page import messages, open_case_id, select_rows
from tests.hundredfold.test_queue_send import case_row, reddit_case  # noqa: F401


def test_claim_send_through_a_503_and_resolve_on_one_case_without_selecting_it_again(
    reddit_case,  # noqa: F811 (the fixture, imported)
    reddit,
    monkeypatch,
):
    engine, case_id = reddit_case
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # prawcore's backoff between tries
    reddit.fail("/api/comment", 503, times=1)
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "en"
    sign_in_as(app, "ana", url=engine.url.render_as_string(hide_password=False))
    app.session_state["queue_view"] = "all"
    app.run()
    app.switch_page(PAGES[1]).run()
    order = list(ranked_cases(engine, QueueFilter(view="all"))["case_id"])
    select_rows(app, [order.index(case_id)])
    assert open_case_id(app) == case_id
    app.button(key=f"claim-{case_id}").click().run()
    assert open_case_id(app) == case_id
    send = app.button(key=f"send-{case_id}")
    assert send.proto.label == "Send on Reddit"
    send.click().run()
    assert "Reply sent." in messages(app)
    assert len(reddit.comments) == 1
    assert open_case_id(app) == case_id
    assert case_row(engine, case_id).reply_url.startswith("https://www.reddit.com/r/")
    app.button(key=f"resolve-{case_id}").click().run()
    assert open_case_id(app) == case_id
    assert case_row(engine, case_id).status == "resolved"
    assert len(reddit.comments) == 1
