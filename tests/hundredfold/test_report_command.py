"""`hundredfold report` writes and mails the Overview's report; `[digest]` mails it on a
schedule under `hundredfold serve`, once per boundary, again after a failed send."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from data import connect
from hundredfold.cli import main
from hundredfold.config import ConfigError, config_from_table, load_config
from hundredfold.digest import boundary, send_digest_if_due
from hundredfold.pipeline import utc_now
from hundredfold.service import Service
from tests.conftest import require


def config_file(folder: Path, url: str, port: int, digest: dict | None = None) -> Path:
    """A config naming the database, an e-mail alert target at `port` and maybe a digest."""
    lines = [f'database_url = "{url}"', "[notify.lead-mail]", 'kind = "email"',
             'to = ["lead@example.com"]', 'host = "127.0.0.1"', f"port = {port}",
             'from = "hundredfold@example.com"']  # fmt: skip
    if digest:
        lines.append("[digest]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in digest.items()]
    path = folder / "hundredfold.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    """A small demo load (with its history) to report on."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'hundredfold.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUNDREDFOLD_DATABASE_URL", url)
        assert main(["demo", "--no-serve", "--limit", "600", "--json"]) == 0
    return url


def pdf_text(content: bytes, folder: Path) -> str:
    """The PDF's text as pdftotext reads it, whitespace folded."""
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    path = folder / "mailed.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_report_to_an_address_mails_html_and_pdf_with_every_figure_and_its_change(
    demo_url, mailbox, tmp_path, capsys
):
    path = config_file(tmp_path, demo_url, mailbox.port)
    code = main(["report", "--config", str(path), "--period", "7d", "--lang", "en", "--to",
                 "ceo@example.com", "--out", str(tmp_path / "r.pdf"), "--json"])  # fmt: skip
    assert code == 0
    [line] = capsys.readouterr().out.splitlines()
    said = json.loads(line)
    keys = ["posts", "negative_share", "net_sentiment", "affected", "within_sla", "median_reply"]
    assert [f["key"] for f in said["figures"]] == keys
    assert all(f["change"] for f in said["figures"])  # the demo has a previous week
    [message] = mailbox.messages
    assert message["To"] == "ceo@example.com" and said["period"] in message["Subject"]
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    page = parts["hundredfold-report.html"].get_content()
    pdf = parts["hundredfold-report.pdf"].get_content()
    assert len(page.encode()) + len(pdf) < 1_000_000
    assert (tmp_path / "r.pdf").read_bytes()[:4] == b"%PDF"
    text = pdf_text(pdf, tmp_path)
    for figure in said["figures"]:
        assert figure["label"] in text and figure["value"] in text, figure
        assert figure["change"] in text and figure["before"] in text, figure
    assert said["period"] in text


def test_bad_arguments_are_refused_with_the_field_named(demo_url, tmp_path, capsys):
    bare = tmp_path / "bare.toml"
    bare.write_text(f'database_url = "{demo_url}"\n', encoding="utf-8")
    for argv, field in ((["--period", "soon"], "--period"), (["--channel", "fax"], "--channel"),
                        (["--to", "a@example.com"], "--to")):  # fmt: skip
        assert main(["report", "--config", str(bare), *argv]) == 2
        assert field in capsys.readouterr().err


def test_a_digest_setting_needs_addresses_and_an_email_target():
    mail = {"lead": {"kind": "email", "to": ["l@example.com"]}}
    with pytest.raises(ConfigError, match="digest.to"):
        config_from_table({"notify": mail, "digest": {"every": "7d"}})
    with pytest.raises(ConfigError, match='kind = "email"'):
        config_from_table({"digest": {"every": "7d", "to": ["a@example.com"]}})
    with pytest.raises(ConfigError, match="digest.every"):
        config_from_table({"notify": mail, "digest": {"to": ["a@example.com"]}})
    config = config_from_table({"notify": mail, "digest": {"every": "1d", "to": "a@example.com"}})
    assert (config.digest.every_seconds, config.digest.to) == (86400, ("a@example.com",))
    monday = boundary(datetime(2026, 12, 3, 10, tzinfo=UTC), 7 * 86400, "Asia/Shanghai")
    assert monday.isoformat() == "2026-11-30T00:00:00+08:00"


def test_the_digest_goes_once_per_boundary_and_again_after_a_failed_send(
    database_url, mailbox, tmp_path
):
    path = config_file(tmp_path, database_url, mailbox.port,
                       {"every": "1d", "period": "7d", "to": ["ceo@example.com"]})  # fmt: skip
    config = load_config(str(path))
    engine = connect(database_url)
    day = boundary(utc_now(), 86400, config.timezone)
    assert not send_digest_if_due(config, engine, day + timedelta(hours=1))  # first seen: noted
    assert not send_digest_if_due(config, engine, day + timedelta(hours=5))
    assert mailbox.messages == []
    mailbox.stop()  # the next boundary's send fails: it is not lost
    assert not send_digest_if_due(config, engine, day + timedelta(days=1, minutes=1))
    mailbox.start()
    down = replace_port(config, mailbox.port)
    assert send_digest_if_due(down, engine, day + timedelta(days=1, minutes=2))
    assert not send_digest_if_due(down, engine, day + timedelta(days=1, minutes=3))  # a 2nd service
    assert len(mailbox.messages) == 1
    # And `serve`'s upkeep clock sends the next one by itself.
    service = Service(down, engine, 0.05, 60, clock=lambda: day + timedelta(days=2, minutes=1))
    worker = threading.Thread(target=service._upkeep_loop)
    worker.start()
    try:
        for _ in range(200):
            if len(mailbox.messages) == 2:
                break
            service.stopping.wait(0.1)
    finally:
        service.stop()
        worker.join(timeout=30)
    assert len(mailbox.messages) == 2
    assert mailbox.messages[1]["Subject"].startswith("品牌声音报告")


def replace_port(config, port: int):
    """The config with its e-mail target at `port` (a restarted receiver listens elsewhere)."""
    from dataclasses import replace

    target = replace(config.alerting.targets["lead-mail"], port=port)
    return replace(config, alerting=replace(config.alerting, targets={"lead-mail": target}))
