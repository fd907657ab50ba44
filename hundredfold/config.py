"""Configuration: one TOML file, environment overrides, defaults; errors name the field."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectors import COLLECTORS
from collectors.base import SettingsError, build_settings, settings_help
from data.access import Actor
from data.sla import BusinessHours, SlaPolicy, parse_business_hours
from hundredfold.alerting import AlertConfig, parse_alert_config
from hundredfold.config_settings import SETTINGS
from hundredfold.digest import DigestConfig, parse_digest
from hundredfold.redaction import register_config_value
from hundredfold.sign_in_config import SignInConfig, parse_sign_in
from sentiment.names import DEFAULT_MODEL, MODEL_NAMES
from sentiment.record import NEGATIVE_THRESHOLD
from sentiment.topics import TOPICS

DEFAULT_CONFIG_FILE = "hundredfold.toml"
DEFAULT_DATABASE_URL = "sqlite:///./hundredfold.db"
DEFAULT_EVERY_SECONDS = 15 * 60
CHANNELS = ("forum", "review", "social", "email", "news")
SOURCE_KEYS = ("kind", "name", "channel", "every", "enabled", "model")
# Settings fields that are paths, resolved against the config file's folder.
PATH_FIELDS = ("path", "url")


class ConfigError(ValueError):
    """The config does not fit: the message names the file and field."""


@dataclass(frozen=True)
class SourceConfig:
    """One `[[source]]` table, validated against its kind's Settings."""

    name: str
    kind: str
    channel: str
    every_seconds: int
    settings: Any
    table: dict[str, Any]
    model: str | None = None  # the analyser for this source's posts (None: the global one)


@dataclass(frozen=True)
class Config:
    """Everything Hundredfold is told by its config file and environment."""

    database_url: str = DEFAULT_DATABASE_URL
    brand_terms: list[str] = field(default_factory=list)
    products: dict[str, list[str]] = field(default_factory=dict)
    timezone: str = "Asia/Shanghai"
    sla_hours: float = 6.0
    silent_customer_multiplier: float = 100.0
    negative_threshold: float = NEGATIVE_THRESHOLD
    source_timeout: float = 300.0
    business_hours: BusinessHours | None = None
    claim_timeout_seconds: int = 2 * 3600
    silent_after_seconds: int = 24 * 3600
    leads: list[str] = field(default_factory=list)
    brand_name: str = ""
    signatures: dict[str, str] = field(default_factory=dict)
    stale_after_seconds: int = 3 * 86400
    collector_lease_seconds: int = 120
    scoring_workers: int = 0  # 0: one process per core
    topic_terms: dict[str, list[str]] = field(default_factory=dict)
    alerting: AlertConfig = field(default_factory=AlertConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    sign_in: SignInConfig = field(default_factory=SignInConfig)
    retention_days: int = 0
    model: str = DEFAULT_MODEL
    sources: list[SourceConfig] = field(default_factory=list)
    path: Path | None = None

    def sla(self) -> SlaPolicy:
        """The SLA clock this config sets: `sla_hours`, in `business_hours` when given."""
        return SlaPolicy(self.sla_hours, self.business_hours)

    def actor(self, name: str) -> Actor:
        """`--as NAME` before any user exists (a lead when `leads` names them); once users
        exist, every write reads their role from the user store instead."""
        return Actor(name, "lead" if name in self.leads else "manager")


def config_path(flag: str | None) -> Path | None:
    """The config file to read: --config > HUNDREDFOLD_CONFIG > ./hundredfold.toml (if present)."""
    if flag:
        return Path(flag)
    if os.environ.get("HUNDREDFOLD_CONFIG"):
        return Path(os.environ["HUNDREDFOLD_CONFIG"])
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.exists() else None


def load_config(flag: str | None = None) -> Config:
    """Read and validate the config; the database URL from the environment wins."""
    path = config_path(flag)
    table: dict[str, Any] = {}
    if path is not None:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise ConfigError(f"{path}: no such config file") from error
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: not valid TOML ({error})") from error
    return config_from_table(table, path)


def config_from_table(table: Mapping[str, Any], path: Path | None = None) -> Config:
    """Validate a parsed config table (the file's content) into a Config."""
    where = str(path) if path else "config"
    for key, value in table.items():
        if key not in SETTINGS:
            raise ConfigError(f"{where}: {key}: unknown setting (known: {', '.join(SETTINGS)})")
        expected = SETTINGS[key][0]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(f"{where}: {key}: expected {_type_words(expected)}, got {value!r}")
    base = path.parent if path else Path.cwd()
    timezone = table.get("timezone", Config.timezone)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"{where}: timezone: unknown time zone {timezone!r}") from error
    threshold = float(table.get("negative_threshold", NEGATIVE_THRESHOLD))
    if not 0 < threshold <= 1:
        raise ConfigError(f"{where}: negative_threshold: must be in (0, 1], got {threshold}")
    for key in ("sla_hours", "silent_customer_multiplier", "source_timeout"):
        if key in table and table[key] <= 0:
            raise ConfigError(f"{where}: {key}: must be positive, got {table[key]}")
    business_hours = None
    if "business_hours" in table:
        try:
            business_hours = parse_business_hours(table["business_hours"], timezone)
        except ValueError as error:
            raise ConfigError(f"{where}: business_hours.{error}") from error
    durations = {}
    for key, default in (("claim_timeout", "2h"), ("silent_after", "24h"), ("stale_after", "3d"),
                         ("collector_lease", "2m")):  # fmt: skip
        try:
            durations[key] = parse_duration(table.get(key, default))
        except ValueError as error:
            raise ConfigError(f"{where}: {key}: {error}") from error
    model = _model(table.get("model", DEFAULT_MODEL), f"{where}: model")
    if table.get("retention_days", 0) < 0:
        raise ConfigError(f"{where}: retention_days: must be 0 (keep all) or more")
    try:
        alerting = parse_alert_config(table.get("alerts", {}), table.get("notify", {}))
        digest = parse_digest(table.get("digest", {}), alerting)
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from error
    sources = [
        _source(entry, index, where, base, timezone)
        for index, entry in enumerate(table.get("source", []))
    ]
    names = [source.name for source in sources]
    duplicate = next((name for name in names if names.count(name) > 1), None)
    if duplicate:
        raise ConfigError(f"{where}: source.name: {duplicate!r} is used twice")
    return Config(
        database_url=os.environ.get("HUNDREDFOLD_DATABASE_URL")
        or table.get("database_url", DEFAULT_DATABASE_URL),
        brand_terms=[str(term) for term in table.get("brand_terms", [])],
        products={str(k): [str(a) for a in v] for k, v in table.get("products", {}).items()},
        timezone=timezone,
        sla_hours=float(table.get("sla_hours", Config.sla_hours)),
        silent_customer_multiplier=float(
            table.get("silent_customer_multiplier", Config.silent_customer_multiplier)
        ),
        negative_threshold=threshold,
        source_timeout=float(table.get("source_timeout", Config.source_timeout)),
        business_hours=business_hours,
        claim_timeout_seconds=durations["claim_timeout"],
        silent_after_seconds=durations["silent_after"],
        leads=[str(name) for name in table.get("leads", [])],
        brand_name=os.environ.get("HUNDREDFOLD_BRAND_NAME")
        or str(table.get("brand_name") or next(iter(table.get("brand_terms", [])), "")),
        signatures={str(name): str(text) for name, text in table.get("signatures", {}).items()},
        stale_after_seconds=durations["stale_after"],
        collector_lease_seconds=max(1, durations["collector_lease"]),
        scoring_workers=max(0, int(table.get("scoring_workers", 0))),
        topic_terms=_topic_terms(table.get("topics", {}), where),
        alerting=alerting,
        digest=digest,
        sign_in=parse_sign_in(table.get("sign_in", {}), where),
        retention_days=int(table.get("retention_days", 0)),
        model=model,
        sources=[source for source in sources if source.table.get("enabled", True)],
        path=path,
    )


def _type_words(expected: type | tuple[type, ...]) -> str:
    """'a number', 'a list'... for error messages."""
    words = {str: "a string", list: "a list", dict: "a table", int: "a number"}
    first = expected[0] if isinstance(expected, tuple) else expected
    return words.get(first, first.__name__)


def _topic_terms(table: Mapping[str, Any], where: str) -> dict[str, list[str]]:
    """Extra terms per topic key from `[topics.KEY] terms = [...]`."""
    terms = {}
    for key, value in table.items():
        if key not in TOPICS:
            raise ConfigError(f"{where}: topics.{key}: unknown topic (known: {', '.join(TOPICS)})")
        if not isinstance(value, dict) or not isinstance(value.get("terms", []), list):
            raise ConfigError(f"{where}: topics.{key}: expected a table with terms = [...]")
        terms[key] = [str(term) for term in value.get("terms", [])]
    return terms


def _source(entry: Any, index: int, where: str, base: Path, timezone: str) -> SourceConfig:
    """Validate one [[source]] table against its kind's schema."""
    label = f"{where}: source[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{label}: expected a table")
    kind = entry.get("kind")
    if kind not in COLLECTORS:
        raise ConfigError(f"{label}.kind: expected one of {', '.join(COLLECTORS)}, got {kind!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{label}.name: required (a short unique name)")
    label = f"{where}: source {name!r}"
    collector_class = COLLECTORS[kind]
    channel = entry.get("channel", collector_class.default_channel)
    if channel not in CHANNELS:
        raise ConfigError(
            f"{label}.channel: expected one of {', '.join(CHANNELS)}, got {channel!r}"
        )
    try:
        every = parse_duration(entry.get("every", DEFAULT_EVERY_SECONDS))
    except ValueError as error:
        raise ConfigError(f"{label}.every: {error}") from error
    fields = {key: value for key, value in entry.items() if key not in SOURCE_KEYS}
    fields = {key: resolve_secret(value, f"{label}.{key}") for key, value in fields.items()}
    for key in PATH_FIELDS:
        if isinstance(fields.get(key), str) and _is_relative_path(fields[key]):
            fields[key] = str((base / fields[key]).resolve())
    known = {name for name, _, _ in settings_help(collector_class.Settings)}
    if "timezone" in known and not fields.get("timezone"):
        fields["timezone"] = timezone
    try:
        settings = build_settings(collector_class.Settings, fields, label)
    except SettingsError as error:
        raise ConfigError(str(error)) from error
    model = _model(entry["model"], f"{label}.model") if "model" in entry else None
    return SourceConfig(name, kind, channel, every, settings, dict(entry), model)


def _model(name: Any, label: str) -> str:
    """A sentiment model's name, checked against the models that ship."""
    if name not in MODEL_NAMES:
        raise ConfigError(f"{label}: expected one of {', '.join(MODEL_NAMES)}, got {name!r}")
    return str(name)


def _is_relative_path(value: str) -> bool:
    """True for a relative filesystem path (not a URL, not absolute)."""
    return "://" not in value and not Path(value).expanduser().is_absolute()


def resolve_secret(value: Any, where: str) -> Any:
    """Replace `{ env = "NAME" }` with that environment variable's value; register secrets."""
    if isinstance(value, dict) and set(value) == {"env"}:
        name = value["env"]
        if name not in os.environ:
            raise ConfigError(f"{where}: environment variable {name} is not set")
        return register_config_value(os.environ[name], where, from_environment=True)
    return register_config_value(value, where)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(value: Any) -> int:
    """Seconds in '15m', '1h30m', '45s', '2d' (or a plain number of seconds)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return int(value)
    text = str(value).strip().lower()
    parts = _DURATION.findall(text)
    if not parts or _DURATION.sub("", text).strip():
        raise ValueError(f"expected a duration like 15m, 1h or 2h30m, got {value!r}")
    seconds = int(sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts))
    if seconds <= 0:
        raise ValueError(f"must be longer than zero, got {value!r}")
    return seconds
