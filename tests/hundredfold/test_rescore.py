"""`hundredfold rescore`: a backfill collected with `fast` upgraded to `default`, on SQLite and
PostgreSQL: every post scored once by the new model, cases and rollups kept right, a re-run
a no-op, `--since` honoured."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from data import connect
from data.schema import cases, sentiment_scores
from hundredfold.cli import main
from tests.data.rollup_recount import assert_rollups_equal_a_recount
from tests.hundredfold.test_privacy_cli import ANGRY, COLUMNS, write_export


def current_models(engine) -> list[str]:
    """The model of every post's current score."""
    with engine.connect() as connection:
        query = select(sentiment_scores.c.model).where(sentiment_scores.c.is_current)
        return sorted(connection.execute(query).scalars())


def test_a_fast_backfill_is_upgraded_once_and_kept_consistent(database_url, tmp_path, capsys):
    now = datetime.now(UTC)
    rows = [(f"p{n}", "mia", text, now - timedelta(days=n))
            for n, text in enumerate([ANGRY, "Lovely kettle, works great", ANGRY + " again",
                                      "It arrived on Tuesday"])]  # fmt: skip
    export = write_export(tmp_path / "export.csv", rows)
    columns = ", ".join(f'{ours} = "{theirs}"' for ours, theirs in COLUMNS.items())
    (tmp_path / "hundredfold.toml").write_text(
        f'database_url = "{database_url}"\nmodel = "fast"\n[[source]]\nkind = "file"\n'
        f'name = "export"\npath = "{export["path"]}"\ncolumns = {{ {columns} }}\n',
        encoding="utf-8",
    )
    assert main(["collect", "--once"]) == 0
    engine = connect(database_url)
    assert all(model.startswith("hundredfold-fast") for model in current_models(engine))
    capsys.readouterr()

    def rescore(*args: str) -> int:
        assert main(["rescore", "--json", *args]) == 0
        return json.loads(capsys.readouterr().out)["rescored"]

    # The day before today in the config's time zone (the default, Asia/Shanghai).
    since = (now - timedelta(days=1)).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")
    assert rescore("--model", "default", "--since", since) == 2  # today's and yesterday's
    assert rescore("--model", "default") == 2  # the rest
    assert rescore("--model", "default") == 0  # nothing left
    assert set(current_models(engine)) == {"hundredfold-default-6"}
    with engine.connect() as connection:
        scores = connection.execute(select(sentiment_scores.c.post_id)).scalars().all()
        opened = connection.execute(select(cases.c.post_id)).scalars().all()
    assert len(scores) == 8  # the fast scores are kept beside the current ones
    assert len(opened) == len(set(opened)) >= 2  # the complaints have one case each
    assert_rollups_equal_a_recount(engine)
    engine.dispose()


def test_an_unknown_model_or_a_bad_date_exits_2(tmp_path, capsys):
    assert main(["rescore", "--model", "gpt"]) == 2
    assert "expected one of default, fast, snownlp" in capsys.readouterr().err
    assert main(["rescore", "--since", "yesterday"]) == 2
    assert "--since: expected YYYY-MM-DD" in capsys.readouterr().err
