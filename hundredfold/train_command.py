"""`hundredfold train`: refit the fast n-gram models and fine-tune the default encoder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from data import connect
from data.corrections import corrections_for_training
from hundredfold.commands import command_help
from hundredfold.config import ConfigError, load_config


class UsageError(ConfigError):
    """A bad argument or unreadable input: printed as one line by the CLI, exit status 2."""


def add_train_command(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `train` to the CLI's subcommands."""
    from sentiment.models import PACKAGED_MODELS

    train = commands.add_parser(
        "train",
        parents=[common],
        help=command_help("train"),
        description="The default model fine-tunes multilingual-e5-small and needs the train "
        'extra (pip install -e ".[train]"); a stopped run resumes from its checkpoint in --work.',
    )
    train.add_argument(
        "--data",
        metavar="DIR",
        help="folder of *_train.csv (default: $HUNDREDFOLD_TRAINING_DATA, else ../shared/data)",
    )
    train.add_argument(
        "--with-corrections",
        action="store_true",
        help="add the labels managers corrected in the reply queue (from the database)",
    )
    train.add_argument(
        "--out",
        metavar="DIR",
        default=str(PACKAGED_MODELS),
        help="where the model files go (default: the package's sentiment/models; "
        "score with another folder through $HUNDREDFOLD_MODELS)",
    )
    train.add_argument(
        "--model", action="append", choices=["default", "fast"], help="fit only this model"
    )
    train.add_argument(
        "--work",
        metavar="DIR",
        default="hundredfold-train",
        help="checkpoints of the encoder's fine-tuning and the fast models' five fold fits "
        "(default: ./hundredfold-train)",
    )
    train.add_argument(
        "--limit", type=int, metavar="N", help="fine-tune on N texts only, for a quick trial"
    )
    train.add_argument(
        "--frozen-layers",
        type=int,
        metavar="N",
        help="encoder layers kept as pretrained, 0-11 (default: the shipped model's)",
    )
    train.add_argument("--epochs", type=int, metavar="N", help="passes over the training texts")
    train.set_defaults(handler=command_train)


def command_train(args: argparse.Namespace) -> int:
    """Refit the models from the *_train.csv files."""
    from sentiment.training import SPECS, train_models
    from sentiment.training.data import default_data_directory

    data = Path(args.data) if args.data else default_data_directory()
    if not sorted(data.glob("*_train.csv")):
        raise UsageError(f"--data: no *_train.csv files in {data}")
    specs = tuple(s for s in SPECS if not args.model or s.name in args.model)
    written: list[Path] = []
    if not args.model or "default" in args.model:
        written += _train_encoder(data, args)
    written += train_models(
        Path(args.out),
        data,
        corrections=_corrections(args) if args.with_corrections else None,
        specs=specs,
        log=_log,
    )
    if any(spec.name == "fast" for spec in specs):
        from sentiment.training.fast_points import write_fast_points

        # Fits the fast models five more times (once per fold, kept in --work for later runs).
        write_fast_points(data, Path(args.out), Path(args.work), _log)
    print(f"trained {len(written)} model files into {args.out}")
    return 0


def _log(line: str) -> None:
    """Training's progress, on stderr (stdout keeps the one result line)."""
    print(line, file=sys.stderr)


def _train_encoder(data: Path, args: argparse.Namespace) -> list[Path]:
    """Fine-tune the default model's encoder (torch only here, never when scoring)."""
    try:
        import torch  # noqa: F401
    except ImportError as error:
        raise UsageError(
            'the default model is fine-tuned with torch: pip install -e ".[train]" first'
        ) from error
    from sentiment.training.encoder_fit import FitSettings
    from sentiment.training.encoder_train import train_encoder

    settings = FitSettings(limit=args.limit)
    if args.frozen_layers is not None:
        if not 0 <= args.frozen_layers < 12:
            raise UsageError(f"--frozen-layers: 0 to 11, got {args.frozen_layers}")
        settings.frozen_layers = args.frozen_layers
    if args.epochs is not None:
        if args.epochs < 1:
            raise UsageError(f"--epochs: at least 1, got {args.epochs}")
        settings.epochs = args.epochs
    return train_encoder(data, Path(args.out), settings, _log, Path(args.work))


def _corrections(args: argparse.Namespace) -> list[tuple[str, str, int]]:
    """Labels managers corrected in the reply queue, read from the configured database."""
    config = load_config(getattr(args, "config", None))
    return corrections_for_training(connect(config.database_url))
