"""No secret ever leaks: not in output, logs, errors, the database or the dashboard.

Every secret the config can hold is given a distinctive value (through `{ env = ... }`, and a
few written in the file itself, as users do with webhook URLs). Sources then fail against real
local servers (a Reddit that refuses the app, an IMAP server that refuses the login, a
sign-in page instead of a feed, a refused port) and alerts fail against a webhook answering
500 and an SMTP server without AUTH; the real command runs with `-v`, and everything it
printed, every table of the database, the database file itself and the dashboard's Sources
and Alerts pages are searched for the secrets.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select
from streamlit.testing.v1 import AppTest

from collectors.base import Post
from data import ScoredPost, SourceSpec, connect, sync_sources
from data.alerts import evaluate
from hundredfold.config import load_config
from tests.data.alert_history import ANGRY, store
from tests.mail_server import USER
from tests.receivers import WebhookReceiver
from tests.reddit_server import CLIENT_ID

RUN = uuid.uuid4().hex[:16]
# Characters a URL or JSON must escape: an encoded copy of the secret must not leak either.
SECRETS = {
    "HF_TEST_REDDIT_SECRET": f"s3cr3t-{RUN}-reddit-app",
    "HF_TEST_REDDIT_PASSWORD": f's3cr3t-{RUN}-reddit/pass@word:"x"',
    "HF_TEST_IMAP_PASSWORD": f"s3cr3t-{RUN}-imap",
    "HF_TEST_SMTP_REPLY_PASSWORD": f"s3cr3t-{RUN}-imap-smtp",
    "HF_TEST_DISCOURSE_KEY": f"s3cr3t-{RUN}-discourse",
    "HF_TEST_SLACK_TOKEN": f"s3cr3t{RUN}slack",
    "HF_TEST_DINGTALK_TOKEN": f"s3cr3t-{RUN}-dingtalk",
    "HF_TEST_SMTP_PASSWORD": f"s3cr3t-{RUN}-smtp",
    "HF_TEST_OIDC_CLIENT_SECRET": f"s3cr3t-{RUN}-oidc-client",
    "HF_TEST_OIDC_COOKIE_SECRET": f"s3cr3t-{RUN}-oidc-cookie",
}
# Written in the file, not the environment: the URL's own secret parts must stay hidden too.
INLINE = f"inl1ne{RUN}"
VIEWS = Path(__file__).resolve().parents[1] / "dashboard" / "views"


def assert_nothing_secret(where: str, text: str) -> None:
    """Fail naming where a secret (or the run's marker inside an encoded one) was seen."""
    for needle in ("s3cr3t", RUN):
        at = text.lower().find(needle.lower())
        assert at < 0, f"{where} leaks a secret: ...{text[max(0, at - 150) : at + 80]}..."


@pytest.fixture
def webhook():
    """A webhook receiver that answers 500 to everything (a robot whose server is down)."""
    with WebhookReceiver() as receiver:
        receiver.reset(script=[500] * 100)
        yield receiver


def write_config(folder: Path, database_url: str, servers: dict) -> Path:
    """The config: every kind of secret, as `{ env = ... }` and as URLs written inline."""
    refused = f"http://127.0.0.1:{servers['closed_port']}"
    path = folder / "hundredfold.toml"
    path.write_text(
        f"""
database_url = "{database_url}"
sla_hours = 1

[alerts]
retry_wait = 0

[notify.slack-ops]
kind = "slack"
url = {{ env = "HF_TEST_SLACK_URL" }}

[notify.dingtalk-ops]
kind = "dingtalk"
url = {{ env = "HF_TEST_DINGTALK_URL" }}

[notify.wecom-ops]
kind = "wecom"
url = "{refused}/cgi-bin/webhook/send?key={INLINE}-wecom"

[notify.lead-mail]
kind = "email"
to = ["lead@example.com"]
host = "127.0.0.1"
port = {servers["smtp_port"]}
user = "alerts"
password = {{ env = "HF_TEST_SMTP_PASSWORD" }}

[sign_in.oidc]
server_metadata_url = "{refused}/.well-known/openid-configuration"
client_id = "hundredfold-dashboard"
client_secret = {{ env = "HF_TEST_OIDC_CLIENT_SECRET" }}
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = {{ env = "HF_TEST_OIDC_COOKIE_SECRET" }}

[[source]]
kind = "reddit"
name = "reddit-brand"
client_id = "{CLIENT_ID}"
client_secret = {{ env = "HF_TEST_REDDIT_SECRET" }}
username = "brand-support"
password = {{ env = "HF_TEST_REDDIT_PASSWORD" }}
subreddits = ["AcmeSupport"]
oauth_url = "{servers["reddit_url"]}"
reddit_url = "{servers["reddit_url"]}"
retry_wait = 0

[[source]]
kind = "imap"
name = "support-mail"
host = "127.0.0.1"
port = {servers["imap_port"]}
tls = false
user = "{USER}"
password = {{ env = "HF_TEST_IMAP_PASSWORD" }}
smtp_password = {{ env = "HF_TEST_SMTP_REPLY_PASSWORD" }}
retry_wait = 0

[[source]]
kind = "rss"
name = "private-forum"
url = {{ env = "HF_TEST_FEED_URL" }}
discourse_api_key = {{ env = "HF_TEST_DISCOURSE_KEY" }}
discourse_username = "support"
retries = 0

[[source]]
kind = "rss"
name = "forum-mirror"
url = "http://mirror:{INLINE}-userinfo@127.0.0.1:{servers["closed_port"]}/latest.rss?api_key={INLINE}-query"
retries = 0
retry_wait = 0
""",
        encoding="utf-8",
    )
    return path


def seed_database(database_url: str, config_path: Path) -> None:
    """A database as the earlier code left it: plain secrets in sources.settings, and a
    complaint overdue now so an alert is queued for every target."""
    config = load_config(str(config_path))
    engine = connect(database_url)
    old_specs = [
        SourceSpec(s.name, s.kind, s.channel, asdict(s.settings), s.every_seconds)
        for s in config.sources
    ]
    gone = {"host": "mail.example.com", "user": "old", "password": f"s3cr3t-{RUN}-gone"}
    sync_sources(engine, [*old_specs, SourceSpec("retired-mail", "imap", "email", gone, 900)])
    now = datetime.now(UTC)
    three_hours_ago = now - timedelta(hours=3)
    late = Post("late-1", "扫地机用了一周就坏了 the vacuum broke", published_at=three_hours_ago)
    store(engine, [ScoredPost(late, "zh", ANGRY, ["quality"])], three_hours_ago)
    opened = evaluate(
        engine, now, config.alerting.rules, threshold=config.negative_threshold,
        sla=config.sla(), silent_after=timedelta(hours=24), routes=config.alerting.routes,
    )  # fmt: skip
    assert opened["opened"], "the seeded overdue case raises an alert"
    engine.dispose()


def database_text(database_url: str, database_file: Path) -> str:
    """Every column of every row of every table, and the raw bytes of the database files."""
    engine = create_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    lines = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                lines.append(f"{table.name}: {tuple(row)!r}")
    engine.dispose()
    for path in database_file.parent.glob(database_file.name + "*"):
        lines.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(lines)


def page_text(name: str) -> str:
    """Everything a dashboard page rendered: each element, tables cell by cell."""
    app = AppTest.from_file(str(VIEWS / name), default_timeout=60)
    app.session_state["language"] = "en"
    app.run()
    assert not app.exception, app.exception
    found: list[str] = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            found.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    found += [frame.value.to_csv() for frame in app.dataframe]
    return "\n".join(found)


def run(*args: str, env: dict) -> str:
    """Run the real command; returns what it wrote to stdout and stderr."""
    done = subprocess.run(
        ["hundredfold", *args], capture_output=True, text=True, timeout=300, env=env
    )
    return f"$ hundredfold {' '.join(args)} (exit {done.returncode})\n{done.stdout}\n{done.stderr}"


def test_no_secret_reaches_output_logs_errors_database_or_dashboard(
    tmp_path, monkeypatch, reddit, mail_server, feed_server, webhook, mailbox, closed_port
):
    # A sign-in page served instead of the feed, echoing the address it was asked for.
    feed_path = f"/private.rss?api_key={SECRETS['HF_TEST_DISCOURSE_KEY']}"
    feed_server.route(
        "/private.rss",
        f"<html><head><title>Sign in to see {feed_path}</title></head></html>",
        content_type="text/html",
    )
    environment = SECRETS | {
        "HF_TEST_FEED_URL": feed_server.url(feed_path),
        "HF_TEST_SLACK_URL": webhook.base_url
        + f"/services/T0AAAA/B0BBBB/{SECRETS['HF_TEST_SLACK_TOKEN']}",
        "HF_TEST_DINGTALK_URL": webhook.base_url
        + f"/robot/send?access_token={SECRETS['HF_TEST_DINGTALK_TOKEN']}",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    database_file = tmp_path / "hundredfold.db"
    database_url = f"sqlite:///{database_file}"
    servers = {
        "closed_port": closed_port, "smtp_port": mailbox.port, "imap_port": mail_server.port,
        "reddit_url": reddit.url,
    }  # fmt: skip
    config_path = write_config(tmp_path, database_url, servers)
    seed_database(database_url, config_path)
    monkeypatch.setenv("HUNDREDFOLD_CONFIG", str(config_path))
    env = dict(os.environ)
    outputs = [
        run("collect", "--once", "-v", env=env),
        run("collect", "--once", "--json", "-v", env=env),
        run("stats", "-v", env=env),
        run("stats", "--json", "-v", env=env),
        run("alerts", "-v", env=env),
        run("alerts", "--json", "-v", env=env),
    ]
    # A config error that quotes the value it refuses: the value came from a secret.
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[source]]\nkind = "imap"\nname = "m"\nhost = "h"\nuser = "u"\n'
        'password = { env = "HF_TEST_IMAP_PASSWORD" }\nport = { env = "HF_TEST_IMAP_PASSWORD" }\n',
        encoding="utf-8",
    )
    outputs.append(run("--config", str(bad), "stats", "-v", env=env))
    printed = "\n".join(outputs)

    # The failures really happened and were recorded: the search below means something.
    stats = json.loads(outputs[3].split("\n")[1])
    failing = {problem["name"] for problem in stats["sources_with_errors"]}
    assert {"reddit-brand", "support-mail", "private-forum", "forum-mirror"} <= failing
    assert "HTTP Request: POST" in printed  # httpx's own log line, with the webhook URL
    assert "expected int" in printed
    alerts = json.loads(outputs[5].split("\n")[1])["alerts"]
    errors = {d["target"]: d["last_error"] for a in alerts for d in a["deliveries"]}
    assert all(errors.get(target) for target in
               ("slack-ops", "dingtalk-ops", "wecom-ops", "lead-mail")), errors  # fmt: skip
    assert "127.0.0.1" in errors["slack-ops"]  # where it failed is still said

    assert_nothing_secret("the command's output", printed)
    stored = database_text(database_url, database_file)
    assert '"env": "HF_TEST_IMAP_PASSWORD"' in stored  # the reference is kept, not the value
    assert_nothing_secret("the database", stored)
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", database_url)
    for name in ("sources.py", "alerts.py"):
        assert_nothing_secret(f"the dashboard's {name}", page_text(name))
