"""The built-in source kinds by name; a kind's module is imported when it is first used, so a
command that runs no reddit source never imports praw."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

# kind -> (module, class): the one list of the built-in collectors.
_BUILT_IN = {
    "rss": ("collectors.rss", "RssCollector"),
    "file": ("collectors.files", "FileCollector"),
    "reddit": ("collectors.reddit", "RedditCollector"),
    "imap": ("collectors.imap", "ImapCollector"),
}


class _Registry(Mapping[str, type]):
    """Kind name -> collector class, each imported on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, type] = {}

    def __getitem__(self, kind: str) -> type:
        if kind not in self._loaded:
            module, name = _BUILT_IN[kind]  # KeyError for an unknown kind, as a dict gives
            self._loaded[kind] = getattr(import_module(module), name)
        return self._loaded[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(_BUILT_IN)

    def __len__(self) -> int:
        return len(_BUILT_IN)


COLLECTORS: Mapping[str, type] = _Registry()
