"""`hundredfold train`: refit the fast n-gram models and fine-tune the default encoder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data import connect
from data.corrections import corrections_for_training
from hundredfold.config import ConfigError, load_config


class UsageError(ConfigError):
    """A bad argument or unreadable input: printed as one line by the CLI, exit status 2."""


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
        log=lambda line: print(line, file=sys.stderr),
    )
    print(f"trained {len(written)} model files into {args.out}")
    return 0


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
    return train_encoder(
        data, Path(args.out), settings, lambda line: print(line, file=sys.stderr), Path(args.work)
    )


def _corrections(args: argparse.Namespace) -> list[tuple[str, str, int]]:
    """Labels managers corrected in the reply queue, read from the configured database."""
    config = load_config(getattr(args, "config", None))
    return corrections_for_training(connect(config.database_url))
