"""Every page in one language at a time: rendered through AppTest in Chinese and in English
over a store with posts, cases, an alert of every kind, sources with an error and a warning,
a refusal and a closed alert, no text of the other script shows where it does not belong
(posts, names, source names, addresses and configured topic terms excepted)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from collectors.base import Post
from dashboard.i18n import LANGUAGES
from data import ScoredPost, SourceSpec, connect, save_batch, sync_sources
from data.access import Refused
from data.alerts import acknowledge_alert, list_alerts
from data.cases import Actor, claim_case, reply_case
from data.schema import cases, posts, sources
from data.sources import finish_run, start_run
from hundredfold.alerting import evaluate_alerts
from hundredfold.config import config_from_table
from tests.dashboard.signed_in import add_person, sign_in_as
from tests.dashboard.visible_text import mixed_script, visible_texts
from tests.data.alert_history import ANGRY, burst_posts, everyday_posts

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ["views/overview.py", "views/queue.py", "views/alerts.py", "views/sources.py",
         "views/team.py", "views/users.py"]  # fmt: skip
KINDS = {"spike", "overdue", "sla_warning", "viral", "silent_source", "new_topic"}
# Latin words a Chinese page may show: units, standards, formats and names of things.
ALLOWED = {"SLA", "CSV", "URL", "OIDC", "HTML", "PDF", "RSS", "IMAP", "Reddit", "Discourse",
           "Hundredfold", "http", "https", "UTC", "p90", "Asia", "Shanghai", "min"}  # fmt: skip


def _batch(engine, name: str, items: list[ScoredPost], collected_at: datetime) -> None:
    """One source's batch, collected at `collected_at`."""
    source = sync_sources(engine, [SourceSpec(name, "rss", "forum", {}, 900)])[name]
    save_batch(engine, source.id, "forum", items, {}, now=collected_at, threshold=0.5)


def _post(key: str, text: str, published: datetime, **reach) -> ScoredPost:
    return ScoredPost(Post(key, text, published_at=published, **reach), "zh", ANGRY, ["refund"])


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> tuple[str, int]:
    """The database's URL and an open case; every alert kind open, one alert closed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('one-language') / 'hundredfold.db'}"
    engine = connect(url)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    _batch(engine, "forum", everyday_posts(now - timedelta(days=8), now - timedelta(hours=8)),
           now - timedelta(hours=8))  # fmt: skip
    _batch(engine, "forum", burst_posts(now - timedelta(minutes=50)), now)
    payment = [ScoredPost(Post(f"pay-{n}", f"付款失败，扣款两次 payment failed {n}",
                               published_at=now - timedelta(minutes=30 - n)), "zh", ANGRY,
                          ["payment"]) for n in range(3)]  # fmt: skip
    _batch(engine, "forum", payment, now)
    late = now - timedelta(hours=7)  # collected in time, unanswered past the 6 h target
    _batch(engine, "social", [_post("late-1", "退款一周了还没到账", late)], late)
    warned = now - timedelta(hours=5)  # 80% of the target gone
    _batch(engine, "social", [_post("warned-1", "refund still missing after a week", warned)],
           warned)  # fmt: skip
    for score, at in ((10, now - timedelta(minutes=50)), (400, now - timedelta(minutes=5))):
        viral = Post("viral-1", "客服太差了 worst support", published_at=now - timedelta(hours=2),
                     score=score)  # fmt: skip
        _batch(engine, "social", [ScoredPost(viral, "zh", ANGRY, ["service"])], at)
    _batch(engine, "quiet-feed", everyday_posts(now - timedelta(days=3), now - timedelta(days=2)),
           now - timedelta(days=2))  # fmt: skip
    with engine.connect() as connection:
        ids = dict(connection.execute(select(sources.c.name, sources.c.id)).all())
    for name, error, warning in (
        ("social", "HTTP 503 Service Unavailable", None),
        ("quiet-feed", None, "feed declared UTF-8, read as GB18030"),
    ):
        run = start_run(engine, ids[name], now)
        finish_run(engine, ids[name], run, now=now, every_seconds=900, counts={}, error=error,
                   warning=warning)  # fmt: skip
    add_person(url, "lin", "admin")
    add_person(url, "bo", "manager")
    evaluate_alerts(config_from_table({}), engine, now)
    open_kinds = {alert["kind"] for alert in list_alerts(engine, now)}
    assert open_kinds == KINDS, open_kinds
    with engine.connect() as connection:
        warned_case = connection.execute(
            select(cases.c.id).join(posts, posts.c.id == cases.c.post_id)
            .where(posts.c.external_id == "warned-1")
        ).scalar_one()  # fmt: skip
    claim_case(engine, warned_case, Actor("lin"), now)
    reply_case(engine, warned_case, Actor("lin"), now, "https://social.example/r/1")
    evaluate_alerts(config_from_table({}), engine, now + timedelta(minutes=1))  # closes its warning
    assert list_alerts(engine, now + timedelta(minutes=1), closed=True)
    alert = list_alerts(engine, now)[0]
    try:  # a manager may not acknowledge: the refusal is on the Users page
        acknowledge_alert(engine, alert["id"], Actor("bo"), now)
    except Refused:
        pass
    with engine.connect() as connection:
        late_case = connection.execute(
            select(cases.c.id).join(posts, posts.c.id == cases.c.post_id)
            .where(posts.c.external_id == "late-1")
        ).scalar_one()  # fmt: skip
    engine.dispose()
    return url, late_case


def outside_words(url: str) -> str:
    """Everything the store holds that came from outside: posts, names, sources, errors."""
    engine = connect(url)
    with engine.connect() as connection:
        rows = connection.execute(select(posts.c.title, posts.c.body, posts.c.author,
                                         posts.c.url)).all()  # fmt: skip
        names = connection.execute(select(sources.c.name, sources.c.last_error,
                                          sources.c.last_warning)).all()  # fmt: skip
    engine.dispose()
    values = [str(value) for row in [*rows, *names] for value in row if value]
    # The sidebar's language chooser names each language in its own script, by design.
    chooser = ["语言 · Language", *LANGUAGES.values()]
    return "\n".join([*values, *chooser, "lin", "bo", "hundredfold-default-6", "test-model-1"])


@pytest.fixture
def outside(store) -> str:
    return outside_words(store[0])


def rendered(url: str, page: str, language: str, monkeypatch, case: int | None = None):
    """`page` run through the app in `language`, signed in as an admin."""
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", url)
    app = sign_in_as(AppTest.from_file(APP, default_timeout=60), "lin", "admin", url)
    app.session_state["language"] = language
    app.session_state["team_period"] = "period_all"
    if case is not None:
        app.session_state["queue_case"] = case
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_one_language(store, outside, page, language, monkeypatch):
    url, case = store
    app = rendered(url, page, language, monkeypatch, case if page == "views/queue.py" else None)
    texts = visible_texts(app)
    assert len(texts) > 10
    assert mixed_script(texts, language, outside, ALLOWED) == []
    assert not [text for text in texts if text in ("nan", "None", "NaT")]


def test_the_check_finds_the_other_script_and_spares_what_belongs():
    assert mixed_script(["回复队列 Reply queue"], "zh", "", ALLOWED)
    assert mixed_script(["Reply 队列"], "en", "", ALLOWED)
    assert mixed_script(["Case #4 is due at 18:10，仍未回复"], "en", "", ALLOWED)
    assert not mixed_script(["6 小时内回复（SLA）", "时间为 Asia/Shanghai"], "zh", "", ALLOWED)
    assert not mixed_script(["作者 worst support 说"], "zh", "客服太差了 worst support", ALLOWED)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_names_its_clock_once(store, language, monkeypatch):
    said = {"zh": "时间为 Asia/Shanghai", "en": "Times in Asia/Shanghai"}[language]
    for page in PAGES:
        texts = visible_texts(rendered(store[0], page, language, monkeypatch))
        assert [text.replace("\\", "") for text in texts].count(said) == 1, page


def page_links(app) -> dict[str, str]:
    """Each page link's label and the query it carries."""
    return {link.proto.label: link.proto.query_string for link in app.get("page_link")}


def test_each_alert_links_to_its_case_or_the_queue_narrowed_to_it(store, monkeypatch):
    url, _ = store
    links = page_links(rendered(url, "views/alerts.py", "en", monkeypatch))
    viral = next(label for label in links if label.startswith("Open case #"))
    assert links[viral] == f"case={viral.split('#')[1].split()[0]}&lang=en"
    lane = "See the overdue complaints on Forum in the reply queue"
    assert links[lane] == "channel=forum&view=overdue&lang=en"
    assert links["See these topics' complaints in the reply queue"] in (
        "topic=delivery&lang=en", "topic=payment&lang=en",
    )  # fmt: skip


def test_the_queue_opens_narrowed_to_what_a_link_names(store, monkeypatch):
    url, late_case = store
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", url)
    app = sign_in_as(AppTest.from_file(APP, default_timeout=60), "lin", "admin", url)
    app.query_params["channel"] = "forum"
    app.query_params["view"] = "overdue"
    app.query_params["lang"] = "en"
    app.switch_page("views/queue.py").run()
    assert not app.exception, app.exception
    table = app.dataframe[0].value
    assert len(table) > 0
    assert set(table["Channel"]) == {"Forum"} and set(table["Lane"]) == {"Overdue"}
    assert "Opened from an alert: narrowed to what it is about." in [c.value for c in app.caption]
    app.query_params.clear()
    app.query_params["case"] = str(late_case)
    app.query_params["lang"] = "en"
    app.switch_page("views/queue.py").run()
    assert not app.exception, app.exception
    assert app.session_state["queue_case"] == late_case
    assert any(text.value.startswith(f"#{late_case} · ") for text in app.text)
