"""The e5 encoder as a PyTorch module, for fine-tuning only (`pip install -e ".[train]"`):
a BERT of 12 layers, 384 wide, mean-pooled, with a three-way head (negative, neutral,
positive). Scoring never imports this: it runs the exported ONNX graph."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional

from sentiment.training.e5_weights import E5Weights


class Layer(nn.Module):
    """One post-LayerNorm BERT layer (self-attention, then a GELU feed-forward)."""

    def __init__(self, hidden: int, heads: int, feed_forward: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = (nn.Linear(hidden, hidden) for _ in range(3))
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, feed_forward)
        self.fo = nn.Linear(feed_forward, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        """x: (batch, tokens, hidden); bias: (batch, 1, 1, tokens), -inf on padding."""
        batch, tokens, hidden = x.shape
        size = hidden // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, tokens, self.heads, size).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / (size**0.5) + bias
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, tokens, hidden)
        x = self.aln(x + self.ao(context))
        return self.oln(x + self.fo(functional.gelu(self.fi(x))))


class Encoder(nn.Module):
    """Embeddings, layers and a head; `forward` runs layers[start:] on given hidden states
    when `start` > 0 (the lower layers' output cached once for training)."""

    def __init__(self, weights: E5Weights, vocabulary: np.ndarray, classes: int = 3) -> None:
        super().__init__()
        hidden = weights.hidden
        tensors = weights.tensors
        table = tensors["emb.word"].reshape(-1, hidden)[vocabulary]
        self.word = nn.Embedding.from_pretrained(torch.tensor(table), freeze=True)
        self.position = nn.Parameter(
            torch.tensor(tensors["emb.pos"].reshape(-1, hidden)), requires_grad=False
        )
        self.token_type = nn.Parameter(
            torch.tensor(tensors["emb.type"][:hidden]), requires_grad=False
        )
        self.eln = nn.LayerNorm(hidden, eps=weights.eps)
        self.layers = nn.ModuleList(
            Layer(hidden, weights.heads, weights.feed_forward, weights.eps)
            for _ in range(weights.layers)
        )
        self.head = nn.Linear(hidden, classes)
        self.dropout = nn.Dropout(0.1)
        state = {"eln.weight": tensors["emb.ln.w"], "eln.bias": tensors["emb.ln.b"]}
        for index in range(weights.layers):
            for part in ("q", "k", "v", "ao", "fi", "fo", "aln", "oln"):
                name = f"layers.{index}.{part}"
                weight = tensors[f"l{index}.{part}.w"]
                if part not in ("aln", "oln"):
                    weight = weight.reshape(-1, hidden if part != "fo" else weights.feed_forward)
                state[f"{name}.weight"] = weight
                state[f"{name}.bias"] = tensors[f"l{index}.{part}.b"]
        self.load_state_dict({k: torch.tensor(v) for k, v in state.items()}, strict=False)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """Token ids (batch, tokens) to the first layer's input."""
        positions = self.position[: ids.shape[1]]
        return self.eln(self.word(ids) + positions + self.token_type)

    def hidden_states(
        self, x: torch.Tensor, mask: torch.Tensor, start: int = 0, stop: int | None = None
    ) -> torch.Tensor:
        """Run layers[start:stop] over x; mask is 1 on real tokens, 0 on padding."""
        bias = ((1.0 - mask[:, None, None, :].to(x.dtype)) * -1e4).to(x.dtype)
        for layer in self.layers[start:stop]:
            x = layer(x, bias)
        return x

    def classify(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean over real tokens, then the head's three logits."""
        weights = mask.to(x.dtype).unsqueeze(-1)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits (batch, 3) of token ids: the whole model, as exported for scoring."""
        return self.classify(self.hidden_states(self.embed(ids), mask), mask)
