"""Source kinds: each collector registered once, built-in or not, in COLLECTORS."""

from collectors.base import Batch, Collector, Post, SourceError
from collectors.registry import COLLECTORS

__all__ = ["COLLECTORS", "Batch", "Collector", "Post", "SourceError"]
