"""`hundredfold eval` and `hundredfold train`: measure the sentiment models, and refit them."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from hundredfold.commands import command_help
from hundredfold.eval_folds import fold_records, per_fold, probabilities_of
from hundredfold.output import print_json
from hundredfold.train_command import UsageError, add_train_command
from sentiment import MODELS, analyse, analyser_for, detect_language, match_topics
from sentiment.complaint_topics import complaint_topics
from sentiment.evaluation import (
    classification_report,
    complaint_figures,
    expected_calibration_error,
    predictions,
    topic_precision,
)
from sentiment.record import NEGATIVE_THRESHOLD
from sentiment.topics import TOPICS


def add_model_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `eval` and `train` to the CLI's subcommands."""
    evaluate = commands.add_parser(
        "eval",
        parents=[common],
        help=command_help("eval"),
        description="Labels: 0/1 (negative/positive) or 0/1/2 (negative/neutral/positive). "
        "With --topics the file is text,topics (topic keys separated by spaces or ';').",
    )
    evaluate.add_argument("file", metavar="FILE.csv", help="labelled CSV with a header row")
    evaluate.add_argument(
        "--model", default="default", help=f"named model: {', '.join(MODELS)} (default: default)"
    )
    evaluate.add_argument("--limit", type=int, metavar="N", help="use only the first N rows")
    evaluate.add_argument(
        "--topics", action="store_true", help="report complaint-topic precision instead"
    )
    evaluate.add_argument(
        "--held-out",
        action="store_true",
        help="only the rows of a *_train.csv the default model held out (fold 1 of 5); judge "
        "with HUNDREDFOLD_MODELS=<train --work>/held-out-models, whose n-grams never saw them",
    )
    evaluate.add_argument(
        "--folds", action="store_true", help="five-fold figures of a *_train.csv (the fast "
        "model: each fifth scored by models fitted without it, kept in --work)",
    )  # fmt: skip
    evaluate.add_argument(
        "--work", metavar="DIR", default="hundredfold-train", help="with --folds: where the "
        "five fits are kept for later runs (default: ./hundredfold-train)",
    )  # fmt: skip
    evaluate.add_argument(
        "--binary", action="store_true", help="drop neutral rows (1) and read 2 as positive"
    )
    evaluate.add_argument("--json", action="store_true", help="one JSON line on stdout")
    evaluate.set_defaults(handler=command_eval)

    add_train_command(commands, common)


def read_rows(path: Path, columns: tuple[str, str], limit: int | None) -> list[list[str]]:
    """Rows of a CSV with the given header columns; broken rows reported on stderr, skipped."""
    if limit is not None and limit <= 0:
        raise UsageError(f"--limit: must be a positive number, got {limit}")
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from error
    rows: list[list[str]] = []
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
            if not set(columns) <= set(header):
                raise UsageError(f"{path}: expected a header row with {','.join(columns)}")
            positions = [header.index(name) for name in columns]
            for row in reader:
                if limit is not None and len(rows) >= limit:
                    break
                if len(row) <= max(positions):
                    print(
                        f"{path} line {reader.line_num}: too few fields, skipped", file=sys.stderr
                    )
                    continue
                rows.append([row[i] for i in positions] + [str(reader.line_num)])
        except (csv.Error, UnicodeDecodeError) as error:
            raise UsageError(f"{path}: not a readable UTF-8 CSV ({error})") from error
    return rows


def command_eval(args: argparse.Namespace) -> int:
    """Print the quality and speed of a named model on a labelled file."""
    if args.model not in MODELS:
        raise UsageError(f"--model: unknown model {args.model!r}; known: {', '.join(MODELS)}")
    path = Path(args.file)
    if args.topics:
        return _evaluate_topics(path, args)
    texts, labels = [], []
    for text, label, line in read_rows(path, ("text", "label"), args.limit):
        if not text.strip() or label.strip() not in {"0", "1", "2"}:
            print(f"{path} line {line}: needs text and a label 0, 1 or 2; skipped", file=sys.stderr)
            continue
        texts.append(text)
        labels.append(int(label))
    if args.folds and args.held_out:
        raise UsageError("--folds reads all five folds; --held-out only the first: choose one")
    texts, labels = _selected(texts, labels, args)
    if not texts:
        raise UsageError(f"{path}: no usable rows")
    binary = 2 not in labels
    languages = [detect_language(text) for text in texts]
    if args.folds:
        records, folds, elapsed = fold_records(path, texts, languages, args.model, Path(args.work))
    else:
        _warm_up(args.model)
        started = time.perf_counter()
        records = analyse(texts, languages, model=args.model)
        elapsed = time.perf_counter() - started
    probabilities = probabilities_of(records)
    predicted, confidence = predictions(probabilities, binary)
    truth = np.asarray(labels)
    report = classification_report(truth, predicted, binary)
    models = sorted({r.model for r in records})
    result = {
        "file": str(path),
        "model": args.model,
        "model_versions": models,
        "n": len(texts),
        "classes": 2 if binary else 3,
        **report,
        "ece": round(expected_calibration_error(confidence, predicted == truth), 4),
        "texts_per_second": round(len(texts) / max(elapsed, 1e-9), 1),
        "languages": {lang: languages.count(lang) for lang in sorted(set(languages))},
        "unscored": sum(r.model == "none" for r in records),
        "uncertain_share": round(float(np.mean([r.uncertain for r in records])), 4),
        **complaint_figures(truth, [r.is_complaint(NEGATIVE_THRESHOLD) for r in records]),
        "operating_points": _operating_points(args.model, sorted(set(languages))),
    }
    if args.folds:  # the figures above are over every row, each scored without its fold
        result["folds"] = per_fold(probabilities, truth, folds, binary)
    if args.json:
        print_json(result)
        return 0
    print(f"model          {args.model} ({', '.join(models)})")
    print(f"file           {path}: {len(texts):,} texts, {result['classes']} classes")
    print(f"accuracy       {result['accuracy']:.4f}")
    print(f"macro-F1       {result['macro_f1']:.4f}")
    if args.folds:
        shown = ", ".join(f"{fold['macro_f1']:.4f}" for fold in result["folds"])
        print(f"  five folds   {shown} (each fifth scored by models fitted without it)")
    for name, figures in report["per_class"].items():
        print(
            f"  {name:<12} precision {figures['precision']:.4f}  recall {figures['recall']:.4f}"
            f"  (n={figures['support']})"
        )
    print(f"calibration    ECE {result['ece']:.4f} ({'binary' if binary else '3-class'})")
    print(f"speed          {result['texts_per_second']:,.1f} texts/second")
    print(
        f"complaints     {result['complaint_share']:.1%} at the operating point "
        f"(raw P(negative) >= {_points_text(result['operating_points'])}): "
        f"{result['complaint_recall']:.1%} of negative texts, precision "
        f"{result['complaint_precision']:.1%}; uncertain {result['uncertain_share']:.1%}; "
        f"unscored {result['unscored']}"
    )
    return 0


def _selected(texts: list[str], labels: list[int], args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The rows --held-out and --binary keep."""
    if args.held_out:
        from sentiment.training.encoder_data import in_held_out_fold

        kept = [in_held_out_fold(text) for text in texts]
        texts = [text for text, keep in zip(texts, kept, strict=True) if keep]
        labels = [label for label, keep in zip(labels, kept, strict=True) if keep]
    if args.binary and 2 in labels:
        pairs = [
            (text, label // 2) for text, label in zip(texts, labels, strict=True) if label != 1
        ]
        texts, labels = [text for text, _ in pairs], [label for _, label in pairs]
    return texts, labels


def _operating_points(model: str, languages: list[str]) -> dict[str, float]:
    """Per language, the raw P(negative) from which the model flags a complaint."""
    points = {}
    for language in languages:
        analyser = analyser_for(language, model) if language in MODELS[model] else None
        if analyser is not None:
            points[language] = getattr(analyser, "operating_point", NEGATIVE_THRESHOLD)
    return points


def _points_text(points: dict[str, float]) -> str:
    """`0.31 zh, 0.42 en` for the report."""
    return ", ".join(f"{value:.2f} {language}" for language, value in points.items()) or "-"


def _evaluate_topics(path: Path, args: argparse.Namespace) -> int:
    """Complaint-topic precision and recall on a `text,topics` file: a key alone (or `key-`)
    is a topic the text complains about, `key+` one it names without complaining (praise, a
    question); the topics named at all are scored too."""
    texts, complained, named = [], [], []
    for text, topics, line in read_rows(path, ("text", "topics"), args.limit):
        keys = topics.replace(";", " ").split()
        bare = {key.rstrip("+-") for key in keys}
        if not text.strip() or bare - set(TOPICS):
            print(f"{path} line {line}: empty text or unknown topic; skipped", file=sys.stderr)
            continue
        texts.append(text)
        named.append(bare)
        complained.append({key.rstrip("-") for key in keys if not key.endswith("+")})
    if not texts:
        raise UsageError(f"{path}: no usable rows")
    languages = [detect_language(text) for text in texts]
    records = analyse(texts, languages, model=args.model)
    found = complaint_topics(
        texts, languages, records, lambda t, lang: analyse(t, lang, model=args.model)
    )
    result = {
        "file": str(path),
        "n": len(texts),
        "model": args.model,
        **topic_precision(complained, [set(keys) for keys in found]),
        "named": topic_precision(named, [set(match_topics(text)) for text in texts]),
    }
    if args.json:
        print_json(result)
        return 0
    print(f"topics         {path}: {len(texts)} texts, complaint topics by {args.model}")
    print(f"precision      {result['precision']:.4f}")
    print(f"recall         {result['recall']:.4f}")
    for key, figures in result["per_topic"].items():
        print(f"  {key:<10} precision {figures['precision']}  recall {figures['recall']}")
    named_figures = result["named"]
    print(f"named at all   precision {named_figures['precision']:.4f}  "
          f"recall {named_figures['recall']:.4f}")  # fmt: skip
    return 0


def _warm_up(model: str) -> None:
    """Load a model's files and encoders before timing, so texts/second measures scoring,
    not loading."""
    detect_language("warm up the language model")
    analyse(["很好", "good"], ["zh", "en"], model=model)
    for language in ("zh", "en"):
        warm_up = getattr(analyser_for(language, model), "warm_up", None)
        if warm_up is not None:
            warm_up()
