"""The report by e-mail: `hundredfold report --to`, and the `[digest]` that `hundredfold serve`
sends on a schedule, both over the SMTP settings of an e-mail alert target (`[notify.NAME]`).

A digest goes out at each multiple of `every` counted from Monday 2024-01-01 00:00 in the
configured time zone (`7d`: Monday midnight, `1d`: every midnight) and covers the `period`
before that moment. Which boundary was sent last is kept in the database, claimed before
sending, so two services on one database send it once; a failed send gives the claim back
and the next upkeep round tries again. The first boundary a new install sees is only noted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from data.schema_users import install_secrets
from hundredfold.alerting import AlertConfig, Target

if TYPE_CHECKING:
    from hundredfold.config import Config

log = logging.getLogger("hundredfold.digest")
LANGUAGES = ("zh", "en")
SENT_KEY = "digest_sent"  # the install's small named values: the boundary last sent
KNOWN = ("every", "period", "to", "language", "via")


@dataclass(frozen=True)
class DigestConfig:
    """`[digest]`: how often, over which period, to whom, in which language, via which target."""

    every_seconds: int = 0  # 0: no digest
    period_seconds: int = 7 * 86400
    to: tuple[str, ...] = ()
    language: str = "zh"
    via: str = ""


def parse_digest(table: Mapping[str, Any], alerting: AlertConfig) -> DigestConfig:
    """Validate `[digest]`; a ValueError names the field."""
    from hundredfold.config import parse_duration  # config imports this module

    if not table:
        return DigestConfig()
    for key in table:
        if key not in KNOWN:
            raise ValueError(f"digest.{key}: unknown setting (known: {', '.join(KNOWN)})")
    values = {}
    for key, default in (("every", None), ("period", "7d")):
        try:
            values[key] = parse_duration(table.get(key, default))
        except (ValueError, TypeError) as error:
            raise ValueError(f"digest.{key}: {error}") from error
        if values[key] <= 0:
            raise ValueError(f"digest.{key}: must be longer than zero")
    to = table.get("to")
    to = [to] if isinstance(to, str) else to
    if not to or not all(isinstance(address, str) and "@" in address for address in to):
        raise ValueError("digest.to: one or more e-mail addresses are required")
    language = table.get("language", "zh")
    if language not in LANGUAGES:
        raise ValueError(f"digest.language: expected one of {', '.join(LANGUAGES)}")
    via = str(table.get("via", ""))
    mail_target(alerting, via, "digest.via")
    return DigestConfig(values["every"], values["period"], tuple(to), language, via)


def mail_target(alerting: AlertConfig, via: str, where: str) -> Target:
    """The e-mail target whose SMTP settings mail the report: `via`, else the first one."""
    mail = [target for target in alerting.targets.values() if target.kind == "email"]
    if via:
        target = alerting.targets.get(via)
        if target is None or target.kind != "email":
            raise ValueError(f'{where}: no [notify.{via}] table with kind = "email"')
        return target
    if not mail:
        raise ValueError(f'{where}: a [notify.NAME] table with kind = "email" is needed '
                         "for its SMTP settings")  # fmt: skip
    return mail[0]


def boundary(now: datetime, every_seconds: int, zone: str) -> datetime:
    """The latest digest moment at or before `now`."""
    origin = datetime(2024, 1, 1, tzinfo=ZoneInfo(zone))  # a Monday, local midnight
    slots = int((now - origin).total_seconds() // every_seconds)
    return origin + timedelta(seconds=slots * every_seconds)


def send_digest_if_due(config: Config, engine: Engine, now: datetime) -> bool:
    """Mail the digest when a boundary has passed since the last one sent; True when sent."""
    digest = config.digest
    if not digest.every_seconds:
        return False
    moment = boundary(now, digest.every_seconds, config.timezone)
    previous = _claim(engine, moment)
    if previous is None:
        return False
    try:
        from hundredfold.report_command import mail_report  # the dashboard's report modules

        start = moment - timedelta(seconds=digest.period_seconds)
        mail_report(config, engine, start, moment, digest.language, list(digest.to),
                    digest.via, now)  # fmt: skip
    except Exception:  # given back: the next round tries again
        _give_back(engine, moment, previous)
        log.exception("sending the digest failed; it is tried again on the next round")
        return False
    log.warning("digest for %s sent to %s", moment.isoformat(), ", ".join(digest.to))
    return True


def _claim(engine: Engine, moment: datetime) -> str | None:
    """Mark `moment` sent unless it (or a later one) was: the value before, or None."""
    value = moment.isoformat()
    where = install_secrets.c.name == SENT_KEY
    with engine.begin() as connection:
        current = connection.execute(select(install_secrets.c.value).where(where)).scalar()
    if current is None:  # a new install: note this boundary, send from the next one
        try:
            with engine.begin() as connection:
                connection.execute(install_secrets.insert().values(name=SENT_KEY, value=value))
        except IntegrityError:
            pass  # another service noted it first
        return None
    if datetime.fromisoformat(current) >= moment:
        return None
    with engine.begin() as connection:
        moved = connection.execute(
            update(install_secrets).where(where, install_secrets.c.value == current)
            .values(value=value)
        ).rowcount  # fmt: skip
    return current if moved == 1 else None


def _give_back(engine: Engine, moment: datetime, previous: str) -> None:
    """Undo a claim whose send failed (unless another service moved on meanwhile)."""
    with engine.begin() as connection:
        connection.execute(
            update(install_secrets)
            .where(install_secrets.c.name == SENT_KEY,
                   install_secrets.c.value == moment.isoformat())
            .values(value=previous)
        )  # fmt: skip
