"""Source kinds: each collector registered once, built-in or not, in COLLECTORS."""

from typing import Any

from collectors.base import Batch, Collector, Post, SourceError

__all__ = ["COLLECTORS", "Batch", "Collector", "Post", "SourceError"]


def __getattr__(name: str) -> Any:
    """COLLECTORS on first use: the dashboard reads posts without importing praw or imaplib."""
    if name == "COLLECTORS":
        from collectors.registry import COLLECTORS

        return COLLECTORS
    raise AttributeError(f"module 'collectors' has no attribute {name!r}")
