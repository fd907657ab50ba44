"""Sign-in and roles through AppTest over the demo: a signed-out session sees a form and no
figure, an executive sees the Overview with authors as codes and nothing else, and no URL,
session-state edit or rerun lends a role its actions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data import connect
from data.access import Actor
from data.schema_users import access_log
from tests.dashboard.signed_in import PASSWORD, add_person, sign_in_as
from tests.dashboard.test_pages import APP, PAGES
from tests.dashboard.test_queue_page import full_demo, queue_url  # noqa: F401 (fixtures)

QUEUE, TEAM = PAGES[1], PAGES[3]


@pytest.fixture
def app(queue_url, monkeypatch):  # noqa: F811 (the imported fixture)
    """The dashboard over a copy of the demo in English, with one executive, eve."""
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", queue_url)
    add_person(queue_url, "eve", "executive")
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "en"
    return app


def figures(app) -> list:
    """Every metric, chart and table on the page."""
    return [*app.metric, *app.dataframe, *app.get("plotly_chart")]


def submit(app, name: str, password: str):
    """Fill the sign-in form and submit it, as a browser does."""
    app.text_input(key="sign_in_name").set_value(name)
    app.text_input(key="sign_in_password").set_value(password)
    [button] = [b for b in app.button if "FormSubmitter" in str(b.id)] or app.button
    return button.click().run()


def test_a_fresh_session_sees_the_sign_in_form_and_no_figure_chart_or_post(app):
    app.run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Sign in"]
    assert figures(app) == [] and app.text == []
    app.switch_page(QUEUE).run()  # by URL: still the form
    assert [title.value for title in app.title] == ["Sign in"] and figures(app) == []


def test_a_wrong_password_and_an_unknown_name_are_told_the_same(app):
    app.run()
    submit(app, "eve", "not the password")
    wrong = [error.value for error in app.error]
    submit(app, "nobody", "not the password")
    assert wrong == [error.value for error in app.error] == ["Wrong name or password."]
    assert figures(app) == []


def test_an_executive_sees_the_overview_with_authors_as_codes_and_nothing_to_do(app, queue_url):  # noqa: F811
    app.run()
    submit(app, "eve", PASSWORD)
    assert not app.exception
    assert app.metric and app.get("plotly_chart")
    assert "Signed in as eve (executive)" in [caption.value for caption in app.caption]
    [posts] = [frame.value for frame in app.dataframe if "Author" in frame.value.columns]
    authors = {author for author in posts["Author"] if author}
    assert authors and all(re.fullmatch(r"A-[0-9a-f]{8}", author) for author in authors)
    assert not [b for b in app.button if b.key in ("to_queue",)]
    for page in (QUEUE, TEAM):  # by URL
        app.switch_page(page).run()
        assert [error.value for error in app.error] == [
            "Your role (executive) cannot open this page."
        ]
        assert figures(app) == [] and not [b for b in app.button if b.key and "claim" in b.key]
    with connect(queue_url).connect() as connection:
        refused = connection.execute(
            select(access_log.c.actor, access_log.c.action).where(
                access_log.c.outcome == "refused", access_log.c.actor == "eve"
            )
        ).all()
    assert [tuple(row) for row in refused] == [("eve", "open queue"), ("eve", "open team")]


def test_an_edited_session_does_not_lend_a_manager_a_leads_pages(app):
    sign_in_as(app, "ana", "manager")
    app.session_state["signed_in_actor"] = Actor("ana", "admin")  # edited by hand
    app.run()
    app.switch_page(TEAM).run()
    assert [error.value for error in app.error] == ["Your role (manager) cannot open this page."]
    app.switch_page(QUEUE).run()
    assert not app.exception and app.dataframe  # the queue is a manager's


def test_signing_out_ends_the_session(app):
    sign_in_as(app, "eve", "executive")
    app.run()
    assert app.metric
    app.button(key="sign_out").click().run()
    assert [title.value for title in app.title] == ["Sign in"] and figures(app) == []


def test_with_an_identity_provider_the_form_gives_way_to_its_button(
    queue_url,  # noqa: F811 (the imported fixture)
    tmp_path,
    monkeypatch,
):
    settings = tmp_path / "hundredfold.toml"
    settings.write_text(
        "[sign_in.oidc]\n"
        'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n'
        'client_id = "hundredfold"\nclient_secret = { env = "OIDC_SECRET" }\n'
        'redirect_uri = "http://localhost:8501/oauth2callback"\n'
        'cookie_secret = "a long random cookie secret"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OIDC_SECRET", "provider-secret-value")
    monkeypatch.setenv("HUNDREDFOLD_CONFIG", str(settings))
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", queue_url)
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "en"
    app.run()
    assert not app.exception
    assert [title.value for title in app.title] == ["Sign in"] and figures(app) == []
    assert [b.label for b in app.button] == ["Sign in with your company account"]
    assert not [i for i in app.text_input if i.key == "sign_in_password"]


def test_a_manager_is_offered_no_reopen_and_a_lead_is(app, queue_url):  # noqa: F811
    from data.cases import claim_case, reply_case, resolve_case
    from data.queue import QueueFilter, ranked_cases
    from tests.dashboard.test_queue_page import open_case_id

    engine = connect(queue_url)
    add_person(queue_url, "lee", "lead")
    case_id = int(ranked_cases(engine, QueueFilter(view="all"))["case_id"].iloc[0])
    lead = Actor("lee")
    claim_case(engine, case_id, lead, datetime.now(UTC))
    reply_case(engine, case_id, lead, datetime.now(UTC), "https://forum.example/t/1#r")
    resolve_case(engine, case_id, lead, datetime.now(UTC))
    for name, role, offered in (("ana", "manager", False), ("lee", "lead", True)):
        session = sign_in_as(AppTest.from_file(APP, default_timeout=60), name, role, queue_url)
        session.session_state["language"] = "en"
        session.session_state["queue_status"] = ["resolved"]
        session.session_state["queue_view"] = "all"
        session.run()
        session.query_params["case"] = str(case_id)  # opened from a link to the case
        session.switch_page(QUEUE).run()
        assert open_case_id(session) == case_id
        keys = [button.key for button in session.button if button.key]
        assert (f"reopen-{case_id}" in keys) is offered, (name, keys)


def test_an_admin_adds_a_user_and_changes_a_role_on_the_users_page(app, queue_url):  # noqa: F811
    from data.users import list_users

    users_page = "views/users.py"
    sign_in_as(app, "root", "admin")
    app.run()
    app.switch_page(users_page).run()
    assert not app.exception
    # The add form's inputs, in order: name, e-mail, password (they carry no keys).
    name, _, password = app.text_input[0], app.text_input[1], app.text_input[2]
    name.set_value("zoe")
    password.set_value(PASSWORD)
    [add] = [b for b in app.button if "FormSubmitter" in str(b.id)]
    add.click().run()
    assert "Added zoe" in [s.value for s in app.success]
    app.selectbox(key="change_user_name").set_value("eve").run()
    app.selectbox(key="change_user_role.eve").set_value("lead").run()
    app.button(key="set_role").click().run()
    people = {person["name"]: person["role"] for person in list_users(connect(queue_url))}
    assert people["zoe"] == "manager" and people["eve"] == "lead"
    assert "Changed eve" in [s.value for s in app.success]
