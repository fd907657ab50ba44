"""Retention on the collector's schedule and `hundredfold forget`, over real exports collected
into SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import logging
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data import connect
from data.schema import cases, posts, sources
from hundredfold.cli import main
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect
from tests.data.rollup_recount import assert_rollups_equal_a_recount

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ANGRY = "The refund never arrived, terrible service, I am furious"
COLUMNS = {"id": "id", "author": "author", "text": "text", "published_at": "published_at"}


def write_export(path: Path, rows: list[tuple[str, str, str, datetime]]) -> dict:
    """A CSV export of (id, author, text, published_at) rows, and its [[source]] table."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows((key, author, text, at.isoformat()) for key, author, text, at in rows)
    return {"kind": "file", "name": path.stem, "path": str(path), "columns": COLUMNS}


def stored(engine) -> list[tuple[str, str, str]]:
    """(source, external id, author) of every stored post, sorted."""
    with engine.connect() as connection:
        query = select(sources.c.name, posts.c.external_id, posts.c.author).join(sources)
        return sorted(tuple(row) for row in connection.execute(query))


def count(engine, table) -> int:
    """Rows in a table."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_collect_deletes_posts_past_retention_at_most_once_an_hour(database_url, tmp_path, caplog):
    shop = write_export(tmp_path / "shop.csv", [
        ("old", "mia", ANGRY, NOW - timedelta(days=40)),
        ("edge", "leo", ANGRY, NOW - timedelta(days=30) + timedelta(minutes=20)),
        ("young", "leo", ANGRY, NOW - timedelta(days=1)),
    ])  # fmt: skip
    table = {"database_url": database_url, "source": [shop], "retention_days": 30}
    config = config_from_table(table)
    engine = connect(database_url)
    with caplog.at_level(logging.INFO, logger="hundredfold.retention"):
        [outcome] = collect(config, engine, now=lambda: NOW)
        # Past retention when collected: never stored, so nothing to delete yet.
        assert (outcome.counts.posts_new, outcome.posts_past_retention) == (2, 1)
        assert [key for _, key, _ in stored(engine)] == ["edge", "young"]
        # Half an hour on, "edge" is past retention too, but this process purged within the hour.
        collect(config, engine, now=lambda: NOW + timedelta(minutes=30))
        assert [key for _, key, _ in stored(engine)] == ["edge", "young"]
        assert caplog.records == []
        collect(config, engine, now=lambda: NOW + timedelta(minutes=61))
    assert [key for _, key, _ in stored(engine)] == ["young"]
    assert count(engine, cases) == 1
    [line] = [record.getMessage() for record in caplog.records]
    assert line.startswith("retention: deleted 1 posts, 0 edits, 1 cases, 0 case events")
    assert_rollups_equal_a_recount(engine)
    engine.dispose()


def test_retention_zero_keeps_everything(database_url, tmp_path):
    shop = write_export(tmp_path / "shop.csv", [("old", "mia", ANGRY, NOW - timedelta(days=900))])
    config = config_from_table({"database_url": database_url, "source": [shop]})
    engine = connect(database_url)
    collect(config, engine, now=lambda: NOW)
    assert stored(engine) == [("shop", "old", "mia")]
    engine.dispose()


@pytest.fixture
def collected(database_url, tmp_path) -> str:
    """Two exports collected by `hundredfold collect --once`: mia in both, leo in the shop."""
    now = datetime.now(UTC)
    shop = write_export(tmp_path / "shop.csv", [
        ("s1", "mia", ANGRY, now - timedelta(days=2)),
        ("s2", "mia", "Broken after a day, awful, I want my money back", now - timedelta(days=3)),
        ("s3", "leo", ANGRY, now - timedelta(days=2)),
        ("s4", "Mia", "Lovely vacuum, works great", now - timedelta(days=1)),
    ])  # fmt: skip
    app = write_export(tmp_path / "app.csv", [("a1", "mia", ANGRY, now - timedelta(days=2))])
    columns = ", ".join(f'{ours} = "{theirs}"' for ours, theirs in COLUMNS.items())
    lines = [f'database_url = "{database_url}"']
    for table in (shop, app):
        lines += ["[[source]]", 'kind = "file"', f'name = "{table["name"]}"',
                  f'path = "{table["path"]}"', f"columns = {{ {columns} }}"]  # fmt: skip
    (tmp_path / "hundredfold.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["collect", "--once", "--json"]) == 0
    return database_url


def test_forget_erases_one_authors_posts_in_one_source_and_says_how_many(collected, capsys, caplog):
    engine = connect(collected)
    cases_before = count(engine, cases)
    capsys.readouterr()
    with caplog.at_level(logging.WARNING, logger="hundredfold.privacy"):
        code = main(["forget", "--author", "mia", "--source", "shop", "--as", "ana", "--yes",
                     "--json"])  # fmt: skip
    assert code == 0
    [line] = capsys.readouterr().out.splitlines()
    erased = json.loads(line)
    assert (erased["source"], erased["author"], erased["posts"]) == ("shop", "mia", 2)
    assert erased["cases"] == cases_before - count(engine, cases) == 2
    assert stored(engine) == [("app", "a1", "mia"), ("shop", "s3", "leo"), ("shop", "s4", "Mia")]
    [logged] = [record.getMessage() for record in caplog.records]
    assert "asked by ana" in logged and "mia" not in logged.lower()
    assert_rollups_equal_a_recount(engine)
    engine.dispose()


def test_forget_again_erases_nothing_and_asks_nothing(collected, capsys):
    forget = ["forget", "--author", "mia", "--source", "shop", "--as", "ana"]
    assert main([*forget, "--yes"]) == 0
    capsys.readouterr()
    assert main(forget) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("erased from shop: 0 posts, 0 edits, 0 cases, 0 case events")


def test_forget_off_a_terminal_without_yes_refuses_and_names_it(collected, capsys):
    engine = connect(collected)
    before = stored(engine)
    assert main(["forget", "--author", "mia", "--source", "shop", "--as", "ana"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "--yes" in line
    assert stored(engine) == before
    engine.dispose()


def test_forget_in_an_unknown_source_is_one_clear_line(collected, capsys):
    assert main(["forget", "--author", "mia", "--source", "reddit", "--as", "ana", "--yes"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line == "hundredfold: --source: no source named 'reddit' (sources: app, shop)"


@pytest.mark.parametrize(("answer", "code", "left"), [("n\n", 1, 5), ("y\n", 0, 3)])
def test_forget_on_a_terminal_asks_first_showing_how_many(collected, answer, code, left):
    # A real terminal on stdin: the command asks there, its question on stderr.
    controller, terminal = os.openpty()
    command = ["hundredfold", "forget", "--author", "mia", "--source", "shop", "--as", "ana"]
    with subprocess.Popen(command, stdin=terminal, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:  # fmt: skip
        os.close(terminal)
        os.write(controller, answer.encode())
        out, err = process.communicate(timeout=120)
    os.close(controller)
    assert process.returncode == code, err
    assert "erase 2 post(s) by 'mia' in 'shop'" in err
    engine = connect(collected)
    assert len(stored(engine)) == left
    engine.dispose()
