"""`hundredfold rescore [--since DATE] [--model M]`: score stored posts again, with a
progress bar; a backfill taken with `fast` is upgraded to `default` this way."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from hundredfold.commands import command_help
from hundredfold.config import ConfigError, load_config
from hundredfold.output import print_json


def add_rescore_command(commands, common: argparse.ArgumentParser) -> None:
    """Register `rescore [--since DATE] [--model M] [--json]`."""
    rescore = commands.add_parser("rescore", parents=[common], help=command_help("rescore"))
    rescore.add_argument("--since", metavar="DATE",
                         help="only posts published on or after this day (YYYY-MM-DD, in the "
                         "config's time zone)")  # fmt: skip
    rescore.add_argument("--model", help="the model to score with (default: the config's)")
    rescore.add_argument("--json", action="store_true", help="one JSON line on stdout")
    rescore.set_defaults(handler=command_rescore)


def command_rescore(args: argparse.Namespace) -> int:
    """Score every post (since DATE) not yet scored by the model; say how many were."""
    from rich.progress import Progress

    from data import connect
    from data.rescore import count_waiting, rescore
    from hundredfold.batches import score_posts
    from hundredfold.pipeline import utc_now
    from sentiment import model_ids
    from sentiment.models import MODELS

    config = load_config(args.config)
    model = args.model or config.model
    if model not in MODELS:
        raise ConfigError(f"--model: expected one of {', '.join(MODELS)}, got {model!r}")
    since = None
    if args.since:
        try:
            day = datetime.strptime(args.since, "%Y-%m-%d")
        except ValueError as error:
            raise ConfigError(f"--since: expected YYYY-MM-DD, got {args.since!r}") from error
        since = day.replace(tzinfo=ZoneInfo(config.timezone))
    engine = connect(config.database_url)
    ids = model_ids(model)
    waiting = count_waiting(engine, since, ids)
    with Progress(disable=args.json or not sys.stderr.isatty(), transient=True) as progress:
        task = progress.add_task(f"rescoring with {model}", total=waiting)
        done = rescore(
            engine, lambda posts: score_posts(config, engine, posts, model), ids, utc_now(),
            config.negative_threshold, since=since, sla=config.sla(),
            on_chunk=lambda count: progress.advance(task, count),
        )  # fmt: skip
    if args.json:
        print_json({"model": model, "since": args.since, "rescored": done})
    else:
        print(f"rescored {done:,} post(s) with {model}")
    return 0
