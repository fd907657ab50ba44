"""`hundredfold report`: the Overview's one-page report for a period, written to files or
mailed over the alerts' SMTP settings (the dashboard's report modules, imported on use so
`hundredfold --help` stays light)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hundredfold.commands import command_help
from hundredfold.config import Config, ConfigError, load_config, parse_duration

CHANNELS = ("forum", "review", "social", "email", "news")


def add_report_command(commands, common: argparse.ArgumentParser) -> None:
    """Register `report [--period 7d] [--lang zh|en] [--out FILE] [--to EMAIL] [--json]`."""
    report = commands.add_parser("report", parents=[common], help=command_help("report"))
    # fmt: off
    add = report.add_argument
    add("--period", default="7d", metavar="DURATION",
        help="the last 7d, 30d, 90d (any duration), or all (default 7d)")
    add("--lang", choices=("zh", "en"), default="zh", help="its language (zh)")
    for name, what in (("channel", "channel"), ("topic", "complaint topic"),
                       ("product", "product")):
        add(f"--{name}", action="append", default=[], metavar=name.upper(),
            help=f"only this {what} (repeat for more)")
    add("--out", action="append", default=[], metavar="FILE",
        help="write it to FILE: .pdf as PDF, else HTML (repeat for both)")
    add("--to", action="append", default=[], metavar="EMAIL",
        help="mail it (HTML and PDF attached) to EMAIL (repeat for more)")
    add("--via", default="", metavar="NAME",
        help="the [notify.NAME] e-mail target to send through (default: the first)")
    # fmt: on
    report.add_argument("--json", action="store_true", help="one JSON line on stdout")
    report.set_defaults(handler=command_report)


def command_report(args: argparse.Namespace) -> int:
    """Build the report, write and mail it as asked, and say what it holds."""
    from data import connect
    from hundredfold.digest import mail_target
    from hundredfold.pipeline import utc_now
    from sentiment.topics import TOPICS

    config = load_config(args.config)
    now = utc_now()
    end = now.replace(second=0, microsecond=0) + timedelta(minutes=1)  # as the Overview rounds
    start = None if args.period == "all" else end - timedelta(seconds=_period(args.period))
    for name, known in (("channel", CHANNELS), ("topic", tuple(TOPICS))):
        unknown = [value for value in getattr(args, name) if value not in known]
        if unknown:
            raise ConfigError(
                f"--{name}: unknown {name} {unknown[0]!r} (known: {', '.join(known)})"
            )
    target = None
    if args.to:
        try:
            target = mail_target(config.alerting, args.via, "--to")
        except ValueError as error:
            raise ConfigError(str(error)) from error
    engine = connect(config.database_url)
    filters = (tuple(args.channel), tuple(args.topic), tuple(args.product))
    report, page, pdf = build(config, engine, start, end, args.lang, filters, now)
    written = []
    for out in args.out:
        path = Path(out)
        path.write_bytes(pdf() if path.suffix.lower() == ".pdf" else page.encode("utf-8"))
        written.append(str(path))
    if target is not None:
        from hundredfold.alerting import send_mail

        try:
            send_mail(target, args.to, subject(report), summary(report), attachments(page, pdf()))
        except OSError as error:  # smtplib's errors are OSErrors too
            print(f"report: sending to {', '.join(args.to)} failed: {error}", file=sys.stderr)
            return 1
    _say(args, report, written)
    return 0


def build(config: Config, engine: Any, start: datetime | None, end: datetime, lang: str,
          filters: tuple, now: datetime):  # fmt: skip
    """(the Report, its HTML, a function making its PDF) for [start, end) under `filters`."""
    from dashboard.report import build_report, report_html, report_pdf
    from data.trends import View

    view = View(start, end, config.negative_threshold, *filters)
    report = build_report(engine, config, view, lang, now)
    page = report_html(report)
    made: list[bytes] = []

    def pdf() -> bytes:
        if not made:
            made.append(report_pdf(page))
        return made[0]

    return report, page, pdf


def mail_report(config: Config, engine: Any, start: datetime, end: datetime, lang: str,
                to: list[str], via: str, now: datetime) -> None:  # fmt: skip
    """Mail the report of [start, end) (the digest's); raises when it was not accepted."""
    from hundredfold.alerting import send_mail
    from hundredfold.digest import mail_target

    report, page, pdf = build(config, engine, start, end, lang, ((), (), ()), now)
    send_mail(mail_target(config.alerting, via, "digest.via"), to, subject(report),
              summary(report), attachments(page, pdf()))  # fmt: skip


def subject(report) -> str:
    """'Aurora · Brand voice report · 2026-11-26 – 2026-12-02 (Asia/Shanghai)'."""
    from dashboard.i18n_charts import tc
    from dashboard.report import period_text

    parts = [report.brand, tc("report_title", report.lang),
             period_text(report.view, report.zone, report.lang)]  # fmt: skip
    return " · ".join(part for part in parts if part)


def summary(report) -> str:
    """The figures as plain text lines: 'Posts: 646 (+67%; previous 386)'."""
    from dashboard.i18n_charts import tc

    lines = []
    for figure in report.figures:
        change = f" ({figure.change}; {tc('report_before', report.lang)} {figure.before})" if (
            figure.change) else ""  # fmt: skip
        lines.append(f"{figure.label}: {figure.value}{change}")
    return "\n".join(lines)


def attachments(page: str, pdf: bytes) -> list[tuple[str, bytes, str]]:
    """The report as an HTML and a PDF attachment."""
    return [("hundredfold-report.html", page.encode("utf-8"), "text/html"),
            ("hundredfold-report.pdf", pdf, "application/pdf")]  # fmt: skip


def _period(text: str) -> int:
    """Seconds of `--period` (a duration: 7d, 30d, 12h...), refused when not one."""
    try:
        seconds = parse_duration(text)
    except (ValueError, TypeError) as error:
        raise ConfigError(f"--period: {error} (or all)") from error
    if seconds <= 0:
        raise ConfigError("--period: must be longer than zero")
    return seconds


def _say(args: argparse.Namespace, report, written: list[str]) -> None:
    """One JSON line, or the period and figures as text."""
    from dashboard.report import filters_text, period_text
    from hundredfold.output import print_json

    period = period_text(report.view, report.zone, report.lang)
    if args.json:
        print_json({
            "period": period, "previous": period_text(report.previous, report.zone, report.lang),
            "filters": filters_text(report.view, report.lang),
            "figures": [{"key": f.key, "label": f.label, "value": f.value, "before": f.before,
                         "change": f.change} for f in report.figures],
            "written": written, "sent_to": list(args.to),
        })  # fmt: skip
        return
    print(subject(report))
    print(summary(report))
    for path in written:
        print(f"wrote {path}")
    if args.to:
        print(f"sent to {', '.join(args.to)}")
