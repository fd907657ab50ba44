"""Config: precedence, validation messages that name the field, secrets from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors import COLLECTORS
from collectors.base import settings_help
from hundredfold.config import (
    DEFAULT_DATABASE_URL,
    SETTINGS,
    ConfigError,
    config_from_table,
    load_config,
    parse_duration,
)
from hundredfold.reply_templates import draft

REPOSITORY = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    """Write a config file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_gives_the_defaults():
    config = load_config()
    assert config.database_url == DEFAULT_DATABASE_URL
    assert (config.sla_hours, config.silent_customer_multiplier) == (6.0, 100.0)
    assert config.timezone == "Asia/Shanghai"
    assert config.sources == []


def test_flag_beats_environment_beats_working_directory(tmp_path, monkeypatch):
    write(tmp_path / "hundredfold.toml", "sla_hours = 1")
    env_file = write(tmp_path / "env.toml", "sla_hours = 2")
    flag_file = write(tmp_path / "flag.toml", "sla_hours = 3")
    assert load_config().sla_hours == 1
    monkeypatch.setenv("HUNDREDFOLD_CONFIG", str(env_file))
    assert load_config().sla_hours == 2
    assert load_config(str(flag_file)).sla_hours == 3


def test_database_url_from_environment_beats_the_file(tmp_path, monkeypatch):
    config_file = write(tmp_path / "h.toml", 'database_url = "sqlite:///file.db"')
    assert load_config(str(config_file)).database_url == "sqlite:///file.db"
    monkeypatch.setenv("HUNDREDFOLD_DATABASE_URL", "sqlite:///env.db")
    assert load_config(str(config_file)).database_url == "sqlite:///env.db"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('sla_hours = "six"', "sla_hours"),
        ("sla_hours = -1", "sla_hours"),
        ('timezone = "Mars/Olympus"', "timezone"),
        ("negative_threshold = 1.5", "negative_threshold"),
        ("brand_termz = []", "brand_termz"),
        ('[[source]]\nkind = "gopher"\nname = "x"', "source[0].kind"),
        ('[[source]]\nkind = "rss"', "source[0].name"),
        ('[[source]]\nkind = "rss"\nname = "f"', "source 'f'.url"),
        ('[[source]]\nkind = "rss"\nname = "f"\nurl = "u"\ntimeout = "soon"', "source 'f'.timeout"),
        ('[[source]]\nkind = "rss"\nname = "f"\nurl = "u"\nevery = "often"', "source 'f'.every"),
        ('[[source]]\nkind = "rss"\nname = "f"\nurl = "u"\nchannel = "tv"', "source 'f'.channel"),
        ('[[source]]\nkind = "rss"\nname = "f"\nurl = "u"\nurll = "u"', "source 'f'.urll"),
        ('[topics.weather]\nterms = ["rain"]', "topics.weather"),
    ],
)
def test_bad_config_names_the_field(tmp_path, text, field):
    config_file = write(tmp_path / "h.toml", text)
    with pytest.raises(ConfigError) as raised:
        load_config(str(config_file))
    assert field in str(raised.value)
    assert "\n" not in str(raised.value)


def test_invalid_toml_is_reported_with_the_file_name(tmp_path):
    config_file = write(tmp_path / "broken.toml", "brand_terms = [")
    with pytest.raises(ConfigError, match="broken.toml: not valid TOML"):
        load_config(str(config_file))


def test_secret_comes_from_the_named_environment_variable(tmp_path, monkeypatch):
    config_file = write(
        tmp_path / "h.toml",
        '[[source]]\nkind = "rss"\nname = "f"\nurl = { env = "FEED_URL" }',
    )
    with pytest.raises(ConfigError, match="FEED_URL is not set"):
        load_config(str(config_file))
    monkeypatch.setenv("FEED_URL", "https://example.com/feed")
    assert load_config(str(config_file)).sources[0].settings.url == "https://example.com/feed"


def test_source_channel_defaults_by_kind_and_paths_resolve_beside_the_file(tmp_path):
    folder = tmp_path / "conf"
    folder.mkdir()
    config_file = write(
        folder / "h.toml",
        '[[source]]\nkind = "file"\nname = "r"\npath = "exports/jd.csv"\n'
        '[[source]]\nkind = "rss"\nname = "s"\nurl = "https://x/feed"\nchannel = "social"\n'
        'every = "1h30m"',
    )
    reviews, social = load_config(str(config_file)).sources
    assert (reviews.channel, social.channel) == ("review", "social")
    assert reviews.settings.path == str(folder / "exports" / "jd.csv")
    assert reviews.settings.timezone == "Asia/Shanghai"
    assert social.settings.url == "https://x/feed"
    assert (reviews.every_seconds, social.every_seconds) == (900, 5400)


def test_disabled_sources_are_left_out(tmp_path):
    config_file = write(
        tmp_path / "h.toml", '[[source]]\nkind = "rss"\nname = "f"\nurl = "u"\nenabled = false'
    )
    assert load_config(str(config_file)).sources == []


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h30m", 5400), ("45s", 45), ("2d", 172800), (600, 600)]
)
def test_durations_read_as_seconds(text, seconds):
    assert parse_duration(text) == seconds


def test_every_setting_is_documented_in_the_readme_and_the_template():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    template = (REPOSITORY / "hundredfold" / "config_template.toml").read_text(encoding="utf-8")
    for name in SETTINGS:
        assert f"`{name}`" in readme, f"README does not document {name}"
        assert name in template, f"config template does not mention {name}"


def test_every_source_setting_is_documented_in_the_readme():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    for kind, collector_class in COLLECTORS.items():
        for name, _, help_line in settings_help(collector_class.Settings):
            assert f"| `{kind}` | `{name}` |" in readme, f"README does not document {kind}.{name}"
            assert help_line, f"{kind}.{name} has no help line"


def test_templates_sign_with_the_brand_and_the_managers_own_sign_off():
    config = config_from_table(
        {"brand_terms": ["Aurora", "极光"], "signatures": {"ana": "Ana, Aurora support"}}
    )
    assert config.brand_name == "Aurora"
    assert draft("apology", "zh", "小明", config.brand_name).endswith("——Aurora客服")
    english = draft("refund", "en", "Li Lei <li@example.cn>", config.brand_name,
                    config.signatures["ana"])  # fmt: skip
    assert english.startswith("Hi Li Lei,") and english.endswith("— Ana, Aurora support")
    named = config_from_table({"brand_terms": ["Aurora"], "brand_name": "Aurora Home"})
    assert named.brand_name == "Aurora Home"
