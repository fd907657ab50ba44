"""Fine-tuning the e5 encoder on the labelled files: the lower layers stay as pretrained and
their output is computed once (cached), the top layers and the head are trained, and a run
resumes from its last checkpoint. Needs the `train` extra (torch)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional

from sentiment.pieces import MAX_TOKENS, Pieces
from sentiment.training.e5_weights import read_e5
from sentiment.training.encoder_data import (
    Corpus,
    macro_f1_by_file,
    pruned_vocabulary,
    read_corpus,
    split,
)
from sentiment.training.torch_encoder import Encoder

CHECKPOINT = "encoder-checkpoint.pt"


@dataclass
class FitSettings:
    """How the encoder is fine-tuned (measured choices: see the README's model section)."""

    frozen_layers: int = 6
    epochs: int = 3
    batch: int = 32
    learning_rate: float = 8e-5
    head_learning_rate: float = 1e-3
    vocabulary: int = 50_000
    seed: int = 20261202
    limit: int | None = None  # rows per run, for a quick trial


def length_batches(rows: list[list[int]], size: int, rng: np.random.Generator) -> list[list[int]]:
    """Batches of similar length (little padding), in random order."""
    order = rng.permutation(len(rows))
    batches: list[list[int]] = []
    for start in range(0, len(order), size * 50):
        chunk = sorted(order[start : start + size * 50], key=lambda index: len(rows[index]))
        batches.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    return [batches[index] for index in rng.permutation(len(batches))]


class Cache:
    """The frozen layers' output for each text, computed once, kept as float16."""

    def __init__(self, model: Encoder, tokeniser: Pieces, texts: list[str], frozen: int) -> None:
        self.rows = rows = tokeniser.ids(texts, MAX_TOKENS)
        self.states: list[torch.Tensor] = [torch.empty(0)] * len(rows)
        order = sorted(range(len(rows)), key=lambda index: len(rows[index]))
        with torch.no_grad():
            for start in range(0, len(order), 64):
                batch = order[start : start + 64]
                ids, mask = map(torch.from_numpy, tokeniser.padded([rows[i] for i in batch]))
                states = model.hidden_states(model.embed(ids), mask, 0, frozen)
                for position, index in enumerate(batch):
                    self.states[index] = states[position, : len(rows[index])].half()

    def batch(self, indexes: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """Padded cached states and mask of some texts."""
        width = max(len(self.rows[index]) for index in indexes)
        states = torch.zeros((len(indexes), width, self.states[indexes[0]].shape[-1]))
        mask = torch.zeros((len(indexes), width), dtype=torch.long)
        for position, index in enumerate(indexes):
            length = len(self.rows[index])
            states[position, :length] = self.states[index].float()
            mask[position, :length] = 1
        return states, mask


def loss_of(logits: torch.Tensor, targets: torch.Tensor, three: torch.Tensor) -> torch.Tensor:
    """Three-way cross-entropy on three-class rows; negative-vs-positive on the others."""
    full = functional.cross_entropy(logits, targets, reduction="none")
    polar = functional.cross_entropy(logits[:, [0, 2]], targets // 2, reduction="none")
    return torch.where(three, full, polar).mean()


def probabilities(model: Encoder, cache: Cache, frozen: int) -> np.ndarray:
    """Softmax (negative, neutral, positive) of every cached text, in eval mode."""
    model.eval()
    out = np.zeros((len(cache.rows), 3), dtype=np.float32)
    order = sorted(range(len(cache.rows)), key=lambda index: len(cache.rows[index]))
    with torch.no_grad():
        for start in range(0, len(order), 128):
            batch = order[start : start + 128]
            states, mask = cache.batch(batch)
            logits = model.classify(model.hidden_states(states, mask, frozen), mask)
            out[batch] = logits.softmax(-1).numpy()
    model.train()
    return out


def fit_encoder(
    data_directory: Path,
    out: Path,
    settings: FitSettings,
    log: Callable[[str], None],
    work: Path | None = None,
) -> dict[str, tuple[Corpus, np.ndarray]]:
    """Fine-tune, checkpointing into `work` (default `out`), and write the ONNX model and its
    pieces into `out`; returns the held-out fold's and the dev files' texts with their
    probabilities."""
    from sentiment.training.encoder_export import export

    torch.manual_seed(settings.seed)
    out.mkdir(parents=True, exist_ok=True)
    work = work or out
    work.mkdir(parents=True, exist_ok=True)
    weights = read_e5()
    full = Pieces(weights.pieces, weights.scores, weights.normalisation)
    corpus, dev = read_corpus(data_directory), read_corpus(data_directory, "dev")
    vocabulary = pruned_vocabulary(weights.pieces, corpus.texts, full.pieces, settings.vocabulary)
    pieces = [weights.pieces[index] for index in vocabulary]
    tokeniser = Pieces(pieces, weights.scores[vocabulary], weights.normalisation)
    log(f"vocabulary: {len(pieces):,} of {len(weights.pieces):,} pieces")
    training_rows, held_out_rows = split(corpus, settings.seed)
    if settings.limit:
        training_rows, held_out_rows = training_rows[: settings.limit], held_out_rows[:500]
    train, held_out = corpus.subset(training_rows), corpus.subset(held_out_rows)
    model = Encoder(weights, vocabulary)
    scores, normalisation = weights.scores[vocabulary], weights.normalisation
    del weights  # the whole dequantised table and layers: the model holds its own copies
    frozen = settings.frozen_layers
    started = time.monotonic()
    caches = {
        name: Cache(model, tokeniser, part.texts, frozen)
        for name, part in (("train", train), ("held_out", held_out), ("dev", dev))
    }
    tokens = sum(len(row) for row in caches["train"].rows)
    log(f"cached layers 0-{frozen - 1} of {len(train.texts):,} training texts "
        f"({tokens:,} tokens) in {time.monotonic() - started:.0f} s")  # fmt: skip
    trainable = [p for layer in model.layers[frozen:] for p in layer.parameters()]
    optimiser = torch.optim.AdamW(
        [
            {"params": trainable, "lr": settings.learning_rate},
            {"params": list(model.head.parameters()), "lr": settings.head_learning_rate},
        ],
        weight_decay=0.01,
    )
    rng = np.random.default_rng(settings.seed)
    plans = [
        length_batches(caches["train"].rows, settings.batch, rng) for _ in range(settings.epochs)
    ]
    total = sum(len(plan) for plan in plans)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, step / (0.06 * total)) * max(0.0, 1 - step / total)
    )
    epoch, step = resume(work / CHECKPOINT, model, optimiser, schedule, log)
    targets = torch.tensor(train.targets)
    three = torch.tensor(train.three_class)
    model.train()
    while epoch < settings.epochs:
        for position, batch in enumerate(plans[epoch][step:], start=step):
            states, mask = caches["train"].batch(batch)
            logits = model.classify(model.hidden_states(states, mask, frozen), mask)
            loss = loss_of(logits, targets[batch], three[batch])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if position % 200 == 0:
                log(f"epoch {epoch + 1} step {position}/{len(plans[epoch])} loss {loss.item():.3f} "
                    f"({time.monotonic() - started:.0f} s)")  # fmt: skip
            if position % 500 == 499:
                save(work / CHECKPOINT, model, optimiser, schedule, epoch, position + 1)
        epoch, step = epoch + 1, 0
        save(work / CHECKPOINT, model, optimiser, schedule, epoch, 0)
        report(held_out, probabilities(model, caches["held_out"], frozen), f"epoch {epoch}", log)
    results = {
        "held_out": (held_out, probabilities(model, caches["held_out"], frozen)),
        "dev": (dev, probabilities(model, caches["dev"], frozen)),
    }
    report(dev, results["dev"][1], "dev", log)
    export(model, tokeniser, pieces, scores, normalisation, out, log)
    (work / "encoder-fit.json").write_text(json.dumps(asdict(settings)))
    np.savez(work / "encoder-held-out.npz", held_out=results["held_out"][1],
             dev=results["dev"][1], held_out_rows=held_out_rows)  # fmt: skip
    return results


def save(path: Path, model, optimiser, schedule, epoch: int, step: int) -> None:  # type: ignore[no-untyped-def]
    """Write the trainable state and where the run is, atomically."""
    state = {
        "model": {k: v for k, v in model.state_dict().items() if not k.startswith("word.")},
        "optimiser": optimiser.state_dict(),
        "schedule": schedule.state_dict(),
        "epoch": epoch,
        "step": step,
    }
    temporary = path.with_suffix(".tmp")
    torch.save(state, temporary)
    temporary.replace(path)


def resume(path: Path, model, optimiser, schedule, log) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Load a checkpoint when there is one: (epoch, step) to go on from."""
    if not path.exists():
        return 0, 0
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"], strict=False)
    optimiser.load_state_dict(state["optimiser"])
    schedule.load_state_dict(state["schedule"])
    log(f"resumed from {path.name}: epoch {state['epoch'] + 1}, step {state['step']}")
    return int(state["epoch"]), int(state["step"])


def report(corpus: Corpus, probs: np.ndarray, label: str, log: Callable[[str], None]) -> None:
    """Macro-F1 per file of some probabilities, on the log."""
    figures = macro_f1_by_file(corpus, probs)
    log(f"{label}: " + ", ".join(f"{name} {value:.3f}" for name, value in figures.items()))
