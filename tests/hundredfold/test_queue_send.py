"""Replies sent from the queue through the channel, end to end: the pipeline stores Reddit
complaints from the fake Reddit API, and `hundredfold queue send` posts the reply there."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data import connect
from data.schema import cases, posts, sources
from data.schema_replies import reply_sends
from hundredfold.cli import main
from hundredfold.pipeline import collect
from tests.hundredfold.test_pipeline_reddit import configure
from tests.reddit_server import CLIENT_ID
from tests.reddit_writes import PASSWORD, USERNAME

CONFIG_TEMPLATE = """
database_url = "{url}"
brand_terms = []
[[source]]
kind = "reddit"
name = "reddit"
client_id = "{client_id}"
client_secret = {{ env = "REDDIT_CLIENT_SECRET" }}
username = "{username}"
password = {{ env = "REDDIT_PASSWORD" }}
subreddits = ["AcmeSupport"]
oauth_url = "{server}"
reddit_url = "{server}"
retry_wait = 0.001
reach_window = 87600.0
"""


@pytest.fixture
def reddit_case(database_url, reddit, monkeypatch, tmp_path):
    """A config file whose Reddit source can reply, and the id of one case from Reddit."""
    config = configure(database_url, reddit, monkeypatch)
    engine = connect(database_url)
    collect(config, engine)
    path = tmp_path / "hundredfold.toml"
    text = CONFIG_TEMPLATE.format(
        url=database_url, client_id=CLIENT_ID, username=USERNAME, server=reddit.url
    )
    path.write_text(text, "utf-8")
    monkeypatch.setenv("HUNDREDFOLD_CONFIG", str(path))
    monkeypatch.setenv("REDDIT_PASSWORD", PASSWORD)
    with engine.connect() as connection:
        case_id = connection.execute(
            select(cases.c.id)
            .join(posts, posts.c.id == cases.c.post_id)
            .join(sources, sources.c.id == posts.c.source_id)
            .where(sources.c.kind == "reddit", posts.c.external_id.like("t3_%"))
            .order_by(cases.c.id)
        ).scalar()
    assert case_id is not None, "the recordings hold no complaint"
    yield engine, case_id
    engine.dispose()


def case_row(engine, case_id: int):
    """The case as stored."""
    with engine.connect() as connection:
        return connection.execute(select(cases).where(cases.c.id == case_id)).one()


def test_a_reply_sent_twice_after_a_503_reaches_reddit_once_with_its_permalink(
    reddit_case, reddit, monkeypatch, capsys
):
    engine, case_id = reddit_case
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # prawcore's backoff between tries
    reddit.fail("/api/comment", 503, times=1)
    assert main(["queue", "claim", str(case_id), "--as", "ana"]) == 0
    send = ["queue", "send", str(case_id), "--as", "ana", "--text", "Sorry! DM us your order."]
    assert main(send) == 0
    assert main(send) == 0  # the button pressed again
    assert len(reddit.comments) == 1
    [comment] = reddit.comments
    assert comment["data"]["body"] == "Sorry! DM us your order."
    row = case_row(engine, case_id)
    assert row.status == "replied"
    assert row.reply_url == "https://www.reddit.com" + comment["data"]["permalink"]
    assert "not sent again" in capsys.readouterr().out
    with engine.connect() as connection:
        [send_row] = connection.execute(select(reply_sends)).all()
    assert (send_row.status, send_row.reference) == ("sent", comment["data"]["name"])


def test_a_refused_send_leaves_the_case_unreplied_and_says_why(
    reddit_case, reddit, monkeypatch, capsys
):
    engine, case_id = reddit_case
    monkeypatch.setenv("REDDIT_PASSWORD", "wrong")
    assert main(["queue", "claim", str(case_id), "--as", "ana"]) == 0
    code = main(["queue", "send", str(case_id), "--as", "ana", "--template", "apology"])
    assert code == 3
    assert "not sent" in capsys.readouterr().err
    assert reddit.comments == []
    assert case_row(engine, case_id).status == "claimed"
    monkeypatch.setenv("REDDIT_PASSWORD", PASSWORD)
    assert main(["queue", "send", str(case_id), "--as", "ana", "--template", "apology"]) == 0
    assert len(reddit.comments) == 1 and "support" in reddit.comments[0]["data"]["body"]


def test_sending_needs_the_case_claimed_by_the_sender(reddit_case, reddit, capsys):
    _, case_id = reddit_case
    assert main(["queue", "send", str(case_id), "--as", "bo", "--text", "hi"]) == 3
    assert "claim it" in capsys.readouterr().err
    assert reddit.comments == []
