"""The `hundredfold` command as a user runs it: a real process, real files, real output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hundredfold.cli import main
from hundredfold.config import load_config


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script in the current (temporary) directory."""
    return subprocess.run(
        ["hundredfold", *args], capture_output=True, text=True, timeout=300, env=env
    )


def test_demo_then_stats_shows_three_channels_both_languages_negatives_and_open_cases():
    demo = run("demo", "--no-serve", "--limit", "300")
    assert demo.returncode == 0, demo.stderr
    assert "demo loaded into sqlite:///./hundredfold.db" in demo.stdout
    stats = run("stats", "--json")
    assert stats.returncode == 0, stats.stderr
    lines = stats.stdout.splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert set(figures["posts_by_channel"]) == {"forum", "review", "social"}
    assert {"zh", "en"} <= set(figures["posts_by_language"])
    assert figures["posts"] == sum(figures["posts_by_channel"].values())
    assert 0 < figures["negative_posts"] < figures["posts"]
    assert figures["open_queue"] > 0
    assert figures["sources_with_errors"] == []


def test_demo_twice_creates_no_duplicates(capsys):
    assert main(["demo", "--no-serve", "--limit", "60", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["demo", "--no-serve", "--limit", "60", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert first["stats"]["posts"] == second["stats"]["posts"] > 0
    assert sum(source["posts_new"] for source in second["sources"]) == 0


def test_database_url_from_the_environment_is_used(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", f"sqlite:///{tmp_path / 'team.db'}")
    assert main(["demo", "--no-serve", "--limit", "30"]) == 0
    assert (tmp_path / "team.db").exists()
    assert not (tmp_path / "hundredfold.db").exists()


def test_init_writes_a_config_that_loads_and_refuses_to_overwrite(capsys):
    assert main(["init"]) == 0
    config = load_config()
    assert (config.sla_hours, config.silent_customer_multiplier) == (6.0, 100.0)
    assert main(["init"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_collect_json_prints_one_line_per_run(tmp_path, feed_server, fixture_path, capsys):
    url = feed_server.route("/forum.xml", fixture_path("rss2_forum_html_bodies.xml").read_bytes())
    (tmp_path / "hundredfold.toml").write_text(
        f'[[source]]\nkind = "rss"\nname = "forum"\nurl = "{url}"\n', encoding="utf-8"
    )
    assert main(["collect", "--once", "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    [source] = json.loads(out)["sources"]
    assert (source["name"], source["status"], source["posts_new"]) == ("forum", "ok", 3)


@pytest.mark.parametrize(
    ("args", "config_text", "named"),
    [
        (["collect", "--every", "often"], '[[source]]\nkind="rss"\nname="f"\nurl="x"', "--every"),
        (["collect"], "", "source"),
        (["stats"], "sla_hours = 'six'", "sla_hours"),
        (["demo", "--no-serve", "--limit", "0"], "", "--limit"),
    ],
)
def test_bad_arguments_and_config_get_one_clear_line(tmp_path, args, config_text, named):
    (tmp_path / "hundredfold.toml").write_text(config_text, encoding="utf-8")
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("hundredfold: ") and named in line


def test_config_flag_works_before_and_after_the_command(tmp_path):
    (tmp_path / "team.toml").write_text(f'database_url = "sqlite:///{tmp_path}/x.db"\n')
    for args in (
        ["--config", "team.toml", "stats", "--json"],
        ["stats", "--config", "team.toml", "--json"],
    ):
        result = run(*args)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.db").exists()
    assert not (tmp_path / "hundredfold.db").exists()


def test_module_entry_point_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "hundredfold", "stats", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["posts"] == 0


def test_help_lists_every_command_without_importing_what_the_commands_need():
    import subprocess
    import sys

    probe = ("import sys; from hundredfold.cli import build_parser; build_parser().format_help(); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'pandas', "
             "'data', 'sentiment', 'collectors', 'streamlit', 'numpy'}))")  # fmt: skip
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert found.returncode == 0 and found.stdout.strip() == "[]", found.stderr


def test_stats_loads_neither_the_pipeline_nor_the_models_nor_the_web_client():
    import subprocess
    import sys

    probe = ("import sys; from hundredfold.cli import build_parser; build_parser('stats'); "
             "heavy = {'numpy', 'pandas', 'py3langid', 'httpx', 'streamlit', 'onnxruntime'}; "
             "print(sorted(({m.split('.')[0] for m in sys.modules} & heavy)"
             " | ({'hundredfold.pipeline', 'sentiment.models'} & set(sys.modules))))")  # fmt: skip
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert found.returncode == 0 and found.stdout.strip() == "[]", (found.stdout, found.stderr)


def test_each_command_listed_is_registered_in_full_with_the_same_help():
    import argparse

    from hundredfold.cli import COMMANDS, build_parser

    for name, (help_text, _) in COMMANDS.items():
        parser = build_parser(name)
        [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        [listed] = [choice for choice in commands._choices_actions if choice.dest == name]
        assert listed.help == help_text, name
        # A stub has only -h, --config and -v; the full command has its own arguments.
        assert len(commands.choices[name]._actions) > 3, name
