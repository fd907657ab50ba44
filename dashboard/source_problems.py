"""A source's last error as a reader reads it: the collectors' own sentences ("HTTP 503 ...",
"timed out after 30s") said in the reader's language; anything else is the server's or the
library's words, quoted as recorded."""

from __future__ import annotations

import re

from dashboard.i18n import t

_HTTP = re.compile(r"HTTP (?P<status>\d{3})(?: .*)?")
_TIMEOUT = re.compile(r"timed out after (?P<seconds>[\d.]+)s(?: \(.*\))?")
_TOO_LARGE = re.compile(r"body larger than the (?P<limit>[\d,]+)-byte limit .*")


def problem_text(recorded: str, lang: str) -> str:
    """The recorded error (or warning) in `lang` where it is one of ours, else as recorded."""
    text = recorded.strip()
    if found := _HTTP.fullmatch(text):
        return t("source_http_error", lang, status=found["status"])
    if found := _TIMEOUT.fullmatch(text):
        return t("source_timed_out", lang, seconds=found["seconds"])
    if found := _TOO_LARGE.fullmatch(text):
        return t("source_too_large", lang, limit=found["limit"])
    return text
