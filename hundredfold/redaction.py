"""Secrets kept out of every text we print, log or store: the values the config resolved, and
the secret parts of URLs (passwords, token parameters, webhook path tokens).

It imports nothing of ours, so collectors/, data/ and the dashboard may all use it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

MARK = "••••"
# A secret at least this long is hidden wherever it appears; a shorter one only where it
# stands alone, so a 4-digit PIN does not eat every year and port number inside other words.
SUBSTRING_LENGTH = 6
# Words that make a parameter or field name a secret's (access_token, api_key, X-Amz-Signature,
# client_secret); whole words, so `author` and `keyword` are not.
SECRET_WORDS = {
    "token", "key", "apikey", "secret", "password", "passwd", "pwd", "pass", "sig", "sign",
    "signature", "auth", "credential", "credentials", "session", "cookie",
}  # fmt: skip
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s'\"<>`]+", re.I)
_URL_PARTS = re.compile(
    r"(?P<scheme>[^:/?#]+://)(?P<netloc>[^/?#]*)(?P<path>[^?#]*)"
    r"(?P<query>\?[^#]*)?(?P<fragment>#.*)?",
    re.S,
)
_TRAILING = ".,;:!?)]}"
# Path segments right after these are tokens (Slack /services/T/B/TOKEN, Feishu and Lark
# /hook/TOKEN, Discord /webhooks/ID/TOKEN); the number is how many segments later.
_TOKEN_AFTER = {"services": 3, "hook": 1, "webhooks": 2, "incomingwebhook": 1}

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def register_secret(value: Any) -> None:
    """Hide `value` (and its URL-, JSON- and repr-escaped forms) from now on."""
    if not isinstance(value, str) or not value.strip():
        return
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    forms.add(repr(value)[1:-1])
    global _pattern
    with _lock:
        if forms <= _secrets:
            return
        _secrets.update(forms)
        _pattern = None


def forget_secrets() -> None:
    """Forget every registered secret (a process that starts afresh: each test)."""
    global _pattern
    with _lock:
        _secrets.clear()
        _pattern = None


def register_url(value: Any) -> None:
    """Hide the secret parts of a URL (password, token parameters, path tokens) from now on."""
    if isinstance(value, str) and "://" in value:
        for part in url_secrets(value):
            # Short ones are left to the URL rules: `?auth=true` must not make every "true"
            # in a log line a secret.
            if len(part) >= SUBSTRING_LENGTH:
                register_secret(part)


def is_secret_name(name: str) -> bool:
    """Whether a field or parameter name says its value is a secret (`smtp_password`, `key`)."""
    words = re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower())
    return any(word in SECRET_WORDS for word in words)


def register_config_value(value: Any, where: str, from_environment: bool = False) -> Any:
    """Register what the config value at `where` must never show; returns the value."""
    # All of it when read from the environment, or when its field is named like a secret
    # (`password = "..."` written in the file is one all the same); else its URL's secrets.
    if from_environment or is_secret_name(where.rsplit(".", 1)[-1]):
        register_secret(value)
    register_url(value)
    return value


def redact_secrets(text: str) -> str:
    """`text` with every registered secret replaced by the mark."""
    pattern = _secret_pattern()
    return text if pattern is None else pattern.sub(MARK, text)


def redact(text: str) -> str:
    """`text` with the secret parts of its URLs and every registered secret hidden."""
    return redact_secrets(_URL.sub(lambda found: _redact_found_url(found.group()), text))


def redact_url(url: str) -> str:
    """A URL fit to show: scheme, host and path kept, its secret parts replaced by the mark."""
    return "".join(MARK if secret else text for text, secret in _url_pieces(url))


def url_secrets(url: str) -> list[str]:
    """The parts of a URL that redact_url hides."""
    return [text for text, secret in _url_pieces(url) if secret]


def is_env_reference(value: Any) -> bool:
    """Whether a config value is `{ env = "NAME" }`."""
    return isinstance(value, dict) and set(value) == {"env"}


def scrub(value: Any, name: str = "") -> Any:
    """Settings fit to store: `{ env = NAME }` kept, secret-named fields masked, URLs redacted."""
    if is_env_reference(value):
        return dict(value)
    if isinstance(value, Mapping):
        return {key: scrub(item, str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item, name) for item in value]
    if isinstance(value, str):
        return MARK if value and is_secret_name(name) else redact(value)
    return value


def hide_in(document: Any) -> Any:
    """A copy of a JSON-ready document with every registered secret hidden in its strings."""
    if isinstance(document, str):
        return redact_secrets(document)
    if isinstance(document, Mapping):
        return {hide_in(key): hide_in(value) for key, value in document.items()}
    if isinstance(document, list | tuple):
        return [hide_in(item) for item in document]
    return document


class RedactingFilter(logging.Filter):
    """Redacts each record's message, arguments, exception and stack text before it is shown."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; it is always let through."""
        try:
            record.msg, record.args = redact(record.getMessage()), None
        except Exception:  # a malformed record: logging reports it itself when formatting
            return True
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_log_redaction() -> None:
    """Redact every record the root logger's (and Streamlit's own) handlers emit, and
    uncaught tracebacks."""
    handlers = logging.getLogger().handlers + logging.getLogger("streamlit").handlers
    for handler in handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    sys.excepthook = _print_redacted_traceback


def _print_redacted_traceback(kind: Any, error: Any, trace: Any) -> None:
    """sys.excepthook: an uncaught exception's traceback, as Python prints it, redacted."""
    sys.stderr.write(redact("".join(traceback.format_exception(kind, error, trace))))


def _secret_pattern() -> re.Pattern[str] | None:
    """One regular expression over every registered secret, longest first (cached)."""
    global _pattern
    with _lock:
        if _pattern is None and _secrets:
            forms = sorted(_secrets, key=len, reverse=True)
            alternatives = [
                re.escape(form)
                if len(form) >= SUBSTRING_LENGTH
                else rf"(?<!\w){re.escape(form)}(?!\w)"
                for form in forms
            ]
            _pattern = re.compile("|".join(alternatives))
        return _pattern


def _redact_found_url(found: str) -> str:
    """A URL found in text, redacted; punctuation after it (a full stop, a bracket) kept."""
    url = found.rstrip(_TRAILING)
    return redact_url(url) + found[len(url) :]


def _url_pieces(url: str) -> list[tuple[str, bool]]:
    """The URL as written, cut into (text, is it secret) pieces: userinfo password, path
    tokens, values of secret parameters in the query and fragment. Nothing is decoded or
    normalised, so a URL with no secret comes back exactly as it was."""
    found = _URL_PARTS.fullmatch(url)
    if found is None:
        return [(url, False)]
    pieces = [(found["scheme"], False)]
    userinfo, at, host = found["netloc"].rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        if colon:
            pieces += [(user + colon, False), (password, bool(password))]
        else:
            pieces.append((user, _token_like(user)))
    pieces.append((at + host, False))
    segments = found["path"].split("/")
    hidden = _token_segments(segments)
    for index, segment in enumerate(segments):
        pieces += [("/" if index else "", False), (segment, index in hidden and bool(segment))]
    for part in (found["query"], found["fragment"]):
        for index, pair in enumerate((part or "")[1:].split("&") if part else []):
            name, equals, value = pair.partition("=")
            lead = part[0] if index == 0 else "&"
            pieces += [(lead + name + equals, False), (value, _is_secret_parameter(name, value))]
    return pieces


def _is_secret_parameter(name: str, value: str) -> bool:
    """Whether a parameter's value is hidden: a secret-sounding name, or a token-like value."""
    return bool(value) and (is_secret_name(name) or _token_like(value))


def _token_segments(segments: list[str]) -> set[int]:
    """Indexes of path segments that are tokens: by a webhook path's shape, or by their look."""
    hidden = {i for i, segment in enumerate(segments) if _token_like(segment)}
    for i, segment in enumerate(segments):
        after = _TOKEN_AFTER.get(segment.lower())
        if after and i + after < len(segments) and segments[i + after]:
            hidden.add(i + after)
    return hidden


def _token_like(text: str) -> bool:
    """Long, letters and digits mixed, dense in digits or capitals: a token, not a word."""
    # Not a slug (`iphone-15-battery-drains`) nor a page (`100012043978.html`).
    text = re.sub(r"\.[A-Za-z]{1,5}$", "", text)
    if len(text) < 16 or not re.fullmatch(r"[A-Za-z0-9_\-.~%=+]+", text):
        return False
    digits = sum(c.isdigit() for c in text)
    capitals = sum(c.isupper() for c in text)
    has_letter = any(c.isalpha() for c in text)
    return bool(digits) and has_letter and (digits + capitals) / len(text) >= 0.3
