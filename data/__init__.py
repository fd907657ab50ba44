"""Storage: one schema for SQLite and PostgreSQL, and every query the app makes."""

from data.engine import connect
from data.posts import BatchCounts, ScoredPost, cached_scores, save_batch
from data.reports import collection_stats
from data.sources import SourceRecord, SourceSpec, finish_run, start_run, sync_sources

__all__ = [
    "BatchCounts",
    "ScoredPost",
    "SourceRecord",
    "SourceSpec",
    "cached_scores",
    "collection_stats",
    "connect",
    "finish_run",
    "save_batch",
    "start_run",
    "sync_sources",
]
