"""The hostile corpus (tests/fixtures/hostile/) through `collect`: each case's recorded outcome.

Feed cases are served by the local feed server, file cases are copied to tmp_path; each case
runs as one source through hundredfold.pipeline.collect (the long-author case through the
`hundredfold collect --json` CLI in a child process, so a parse that holds the interpreter
cannot hold up the tests). Each row of CASES says what the source must record (status and a
fragment of its reason) and how many posts it must store; `check` looks at what was stored.
A case not fixed yet would be a strict xfail (it fails on passing, so the mark goes with the fix).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from data import connect
from data.schema import collection_runs, posts, sources
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect
from tests.fixtures.hostile.generate import GENERATED, write_generated

CORPUS = Path(__file__).resolve().parent / "fixtures" / "hostile"
TOKEN = "hf-corpus-token-7f3a9c2e51"
SECRET = "hf-corpus-secret-b41d07"
SOURCE_TIMEOUT = 5.0
# A child collect still running this long after its source_timeout is hung: it is killed.
HANG_GUARD = SOURCE_TIMEOUT + 40


@dataclass(frozen=True)
class Stored:
    """What a case left behind: its posts (as rows), its source row and its runs' messages."""

    posts: list[Any]
    source: Any
    run_messages: list[str]
    started: datetime
    finished: datetime


@dataclass(frozen=True)
class Case:
    """One hostile input and what collecting it must record."""

    path: str  # under tests/fixtures/hostile (or a GENERATED name)
    status: str | tuple[str, ...]  # the source's recorded status (one of a tuple when free)
    reason: str  # a fragment of its recorded error or warning, case-insensitive ("" for none)
    posts: int  # posts stored
    name: str = ""  # the source's name (default: the file's stem)
    serve: dict[str, Any] = field(default_factory=dict)  # feed server route options
    settings: dict[str, Any] = field(default_factory=dict)  # more source settings
    query: str = ""  # appended to the feed's URL
    runs: int = 1  # collect runs; the posts are counted after the last
    judged: int = -1  # the run whose recorded status and reason are checked
    cli: bool = False  # through `hundredfold collect --json` in a child process
    neighbour: bool = False  # with a normal feed beside it that must be stored
    check: Callable[[Stored], None] | None = None

    @property
    def kind(self) -> str:
        return "file" if self.path.startswith("files/") else "rss"

    @property
    def source(self) -> str:
        return self.name or Path(self.path).name.split(".")[0]


def texts(stored: Stored) -> str:
    """Every stored title, author and body, joined."""
    return "\n".join(f"{p.title}\n{p.author}\n{p.body}" for p in stored.posts)


def by_id(stored: Stored) -> dict[str, Any]:
    """Stored posts by their external id."""
    return {post.external_id: post for post in stored.posts}


def no_local_file(stored: Stored) -> None:
    assert "root:" not in texts(stored) and "/bin/" not in texts(stored)


def not_expanded(stored: Stored) -> None:
    assert all(len(post.body) <= 20_002 and len(post.title) <= 20_002 for post in stored.posts)
    assert "lollollollollollollollollollol" not in texts(stored)


def sql_kept_as_text(stored: Stored) -> None:
    ids = by_id(stored)
    assert ids["sql-1' OR 1=1; DELETE FROM posts WHERE '1'='1"].title == "'); DROP TABLE posts; --"
    assert "Robert'); DROP TABLE sources;--" in texts(stored)
    assert "%s %(name)s :name ? $1" in texts(stored)


def script_not_in_text(stored: Stored) -> None:
    [post] = stored.posts
    assert "alert(" not in texts(stored) and "fetch(" not in texts(stored)
    assert "arrived broken" in post.body and "Still waiting for a refund." in post.body
    assert "<script>" in post.body_html  # the raw HTML is kept beside the text


def dated_at_collection(*external_ids: str) -> Callable[[Stored], None]:
    def check(stored: Stored) -> None:
        ids = by_id(stored)
        for external_id in external_ids:
            published = ids[external_id].published_at.replace(tzinfo=UTC)
            assert stored.started - timedelta(seconds=1) <= published <= stored.finished

    return check


def markdown_intact(stored: Stored) -> None:
    [post] = stored.posts
    assert post.title == (
        r"![](http://127.0.0.1:9/t.png) :red[URGENT] **refund** $\KaTeX$ "
        r"$$\href{http://127.0.0.1:9}{x}$$"
    )
    assert post.author == "![beacon](http://127.0.0.1:9/a.png) :blue[admin] _moderator_"
    assert post.body == "[click](http://127.0.0.1:9/phish) :rainbow[free] ```code``` # heading"


def chat_markup_readable(stored: Stored) -> None:
    [post] = stored.posts
    assert "Official refund form" in post.body and "refund" in post.title
    assert post.author == "@all"


def emoji_whole(stored: Stored) -> None:
    [post] = stored.posts
    assert "👩\u200d👩\u200d👧" in post.title and "❤️\u200d🔥" in post.title
    assert "👨\u200d👩\u200d👧\u200d👦" in post.body


def read_as_gbk(stored: Stored) -> None:
    [post] = stored.posts
    assert post.title == "快递把包裹弄丢了"
    assert post.body.startswith("物流显示签收")


def html_bounded(stored: Stored) -> None:
    [post] = stored.posts
    assert len(post.body) <= 20_002 and len(post.body_html) <= 100_000


def author_bounded(stored: Stored) -> None:
    [post] = stored.posts
    assert set(post.author) == {"a"} and len(post.author) <= 200


def formulas_as_typed(stored: Stored) -> None:
    ids = by_id(stored)
    assert ids["f-1"].body == '=HYPERLINK("http://127.0.0.1:9/x","click for refund")'
    assert ids["f-1"].author.startswith("=HYPERLINK(")
    assert ids["f-2"].body.startswith("=cmd|' /C calc'!A0") and ids["f-2"].title.startswith("+")
    assert ids["f-3"].body.startswith("-1+1") and ids["f-2"].author.startswith("@SUM")


def no_secret(stored: Stored) -> None:
    assert SECRET not in json.dumps(stored.source.settings)
    assert stored.source.settings["discourse_api_key"] == {"env": "HF_CORPUS_SECRET"}


def no_token(stored: Stored) -> None:
    for text in [stored.source.last_error or "", *stored.run_messages]:
        assert TOKEN not in text


def no_raw_bytes(stored: Stored) -> None:
    reason = stored.source.last_error or ""
    assert "\ufffd" not in reason and not re.search(r"[\x00-\x1f\x7f]", reason)
    assert "IHDR" not in reason


def case(label: str, path: str, status, reason: str, posts: int, *marks, **options) -> Any:
    """One row of the table as a pytest parameter."""
    return pytest.param(Case(path, status, reason, posts, **options), id=label, marks=marks)


EITHER = ("ok", "warning")  # handled, with or without a warning: what matters is the check
# fmt: off
CASES = [
    # Handled already: entities, sizes, bytes, statements, broken and empty input, statuses.
    case("xxe", "feeds/xxe.xml", EITHER, "", 1, check=no_local_file),
    case("billion_laughs", "feeds/billion_laughs.xml", EITHER, "", 1, check=not_expanded),
    case("body_60_mb", "feeds/huge_body.xml", "error", "10,000,000-byte limit", 0),
    case("gzip_bomb", "feeds/gzip_bomb.xml.gz", "error", "-byte limit", 0,
         serve={"headers": {"Content-Encoding": "gzip"}}),
    case("binary_body", "feeds/binary_body.bin", "error", "not a feed", 0, check=no_raw_bytes),
    case("sql_in_values_and_name", "feeds/sql_values.xml", "ok", "", 2,
         name="x'); DROP TABLE posts; --", check=sql_kept_as_text),
    case("sql_in_export", "files/sql_values.jsonl", "ok", "", 2),
    case("html_and_script", "feeds/html_script.xml", "ok", "", 1, check=script_not_in_text),
    case("malformed", "feeds/malformed.xml", "warning", "malformed feed", 1),
    case("malformed_then_304", "feeds/malformed.xml", "warning", "malformed feed", 1, runs=2,
         serve={"etag": '"v1"'}, name="malformed_then_304"),
    case("empty_items", "feeds/empty_items.xml", "ok", "", 0),
    case("empty_body", "feeds/empty_body.xml", "error", "the body is empty", 0),
    case("empty_file", "files/empty.csv", "ok", "", 0),
    case("binary_file", "files/binary.csv", "error", "", 0, check=no_raw_bytes),
    case("status_429", "feeds/rate_limited.xml", "error", "HTTP 429", 0,
         serve={"status": 429, "headers": {"Retry-After": "60"}}),
    case("status_503", "feeds/unavailable.xml", "error", "HTTP 503", 0, serve={"status": 503}),
    case("token_in_url", "feeds/private.xml", "error", "HTTP 500", 0, serve={"status": 500},
         query=f"?access_token={TOKEN}", check=no_token),
    case("secret_reference", "feeds/html_script.xml", "ok", "", 1, name="secret_reference",
         settings={"discourse_api_key": {"env": "HF_CORPUS_SECRET"}}, check=no_secret),
    # Stored as the text it is; how the dashboard and the exports show it is tested there.
    case("markdown_in_title_and_author", "feeds/markdown_fields.xml", "ok", "", 1,
         check=markdown_intact),
    case("formula_cells", "files/formulas.csv", "ok", "", 4, check=formulas_as_typed),
    case("chat_markup", "feeds/chat_markup.xml", "ok", "", 1, check=chat_markup_readable),
    # New in issue 21: far dates, fields that cost time, bad rows, encodings, joiners.
    case("dates_9999_2100_1900", "feeds/far_dates.xml", "warning", "date", 4,
         check=dated_at_collection("date-9999", "date-2100", "date-1900")),
    case("export_9999_in_2000_rows", "files/export_9999.csv", "warning", "date", 2_000,
         runs=2, judged=0, check=dated_at_collection("e-1000")),
    case("author_200k_chars", "feeds/long_author.xml", "ok", "", 1, cli=True, neighbour=True,
         check=author_bounded),
    case("body_html_260k_chars", "feeds/long_html.xml", "ok", "", 1,
         check=html_bounded),
    case("undecodable_csv_row", "files/undecodable_row.csv", "warning", "line 3", 3),
    case("number_5000_digits", "files/big_number.jsonl", "warning", "line 2", 2),
    case("brackets_100k_deep", "files/deep_nesting.jsonl", "warning", "line 2", 2),
    case("gbk_declared_utf8", "feeds/gbk_declared_utf8.xml", EITHER, "", 1, check=read_as_gbk),
    case("zwj_emoji", "feeds/zwj_emoji.xml", "ok", "", 1, check=emoji_whole),
]
# fmt: on


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    """The generated cases, written once for the module."""
    return write_generated(tmp_path_factory.mktemp("hostile"))


def case_bytes(case: Case, generated: dict[str, Path]) -> bytes:
    """The case's bytes: a generated file, a corpus file, or nothing (a status-only route)."""
    if case.path in GENERATED:
        return generated[case.path].read_bytes()
    path = CORPUS / case.path
    return path.read_bytes() if path.exists() else b""


def source_table(case: Case, generated, feed_server, tmp_path: Path) -> dict[str, Any]:
    """The case's [[source]] table: its feed served on 127.0.0.1, or its file in tmp_path."""
    table = {"name": case.source, "kind": case.kind, **case.settings}
    if case.kind == "file":
        copy = tmp_path / Path(case.path).name
        copy.write_bytes(case_bytes(case, generated))
        return table | {"path": str(copy)}
    route = "/" + case.path
    feed_server.route(route, case_bytes(case, generated), **case.serve)
    return table | {"url": feed_server.url(route) + case.query, "retry_wait": 0.0}


def neighbour_table(feed_server) -> dict[str, Any]:
    """A normal feed beside the case: three posts that must be stored whatever the case does."""
    body = (CORPUS.parent / "rss2_forum_html_bodies.xml").read_bytes()
    return {"name": "neighbour", "kind": "rss", "url": feed_server.route("/neighbour.xml", body)}


def run_cli(tables: list[dict[str, Any]], database_url: str, tmp_path: Path) -> None:
    """`hundredfold collect --once --json` in a child process, killed if it hangs."""
    lines = [f"database_url = {json.dumps(database_url)}", f"source_timeout = {SOURCE_TIMEOUT}",
             'model = "fast"']  # fmt: skip
    for table in tables:
        lines.append("[[source]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    config = tmp_path / "hundredfold.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    environment = {**os.environ, "HUNDREDFOLD_CONFIG": str(config)}
    done = subprocess.run(
        [sys.executable, "-m", "hundredfold", "collect", "--once", "--json"],
        env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=HANG_GUARD,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


def recorded(engine, name: str, started: datetime, finished: datetime) -> Stored:
    """The source row, its posts and its runs' messages."""
    with engine.connect() as connection:
        source = connection.execute(select(sources).where(sources.c.name == name)).one()
        rows = connection.execute(select(posts).where(posts.c.source_id == source.id)).all()
        messages = connection.execute(
            select(collection_runs.c.message).where(collection_runs.c.source_id == source.id)
        ).scalars()
        return Stored(rows, source, [m for m in messages if m], started, finished)


@pytest.mark.parametrize("case", CASES)
def test_hostile_case_is_recorded_and_stored_as_expected(
    case: Case, database_url, feed_server, generated, tmp_path, monkeypatch
):
    monkeypatch.setenv("HF_CORPUS_SECRET", SECRET)
    tables = [source_table(case, generated, feed_server, tmp_path)]
    if case.neighbour:
        tables.append(neighbour_table(feed_server))
    engine = connect(database_url)
    started = datetime.now(UTC)
    outcomes = []
    for _ in range(case.runs):
        if case.cli:
            run_cli(tables, database_url, tmp_path)
        else:
            config = config_from_table(
                {"database_url": database_url, "model": "fast", "source": tables,
                 "source_timeout": SOURCE_TIMEOUT}
            )  # fmt: skip
            collect(config, engine)
        source = recorded(engine, case.source, started, datetime.now(UTC)).source
        error = source.last_status == "error"
        outcomes.append((source.last_status, (source.last_error if error else source.last_warning)))
    stored = recorded(engine, case.source, started, datetime.now(UTC))
    status, reason = outcomes[case.judged]
    allowed = case.status if isinstance(case.status, tuple) else (case.status,)
    assert status in allowed, f"{status}: {reason}"
    assert case.reason.lower() in (reason or "").lower()
    assert len(stored.posts) == case.posts
    if case.check:
        case.check(stored)
    if case.neighbour:
        beside = recorded(engine, "neighbour", started, datetime.now(UTC))
        assert (beside.source.last_status, len(beside.posts)) == ("ok", 3)
    # Whatever the input, every table is still there and holds these posts and no others.
    with engine.connect() as connection:
        assert {"posts", "sources", "cases"} <= set(inspect(connection).get_table_names())
        total = connection.execute(select(func.count()).select_from(posts)).scalar_one()
    assert total == len(stored.posts) + (3 if case.neighbour else 0)
    engine.dispose()
