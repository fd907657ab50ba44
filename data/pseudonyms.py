"""Stable per-author codes for readers who may not see who wrote a post (executives).

The code is an HMAC of the author's name under a key the install generates once and keeps
in its database: the same author reads as the same code on every page and in every export,
and the name cannot be recovered from the code by anyone without the database.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from data.schema_users import install_secrets

KEY_NAME = "author_pseudonyms"
# An e-mail address inside a post's text names its author as surely as the author field.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def pseudonym_key(engine: Engine) -> bytes:
    """The install's pseudonym key, created on first use."""
    query = select(install_secrets.c.value).where(install_secrets.c.name == KEY_NAME)
    with engine.connect() as connection:
        stored = connection.execute(query).scalar_one_or_none()
    if stored is None:
        try:
            with engine.begin() as connection:
                connection.execute(
                    install_secrets.insert().values(name=KEY_NAME, value=secrets.token_hex(32))
                )
        except IntegrityError:
            pass  # another process created it first: use theirs
        with engine.connect() as connection:
            stored = connection.execute(query).scalar_one()
    return bytes.fromhex(stored)


def pseudonym(author: str | None, key: bytes) -> str:
    """'A-3f9c1b2e' for an author (the same for the same name, any case), '' for none."""
    name = (author or "").strip().casefold()
    if not name:
        return ""
    return "A-" + hmac.new(key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:8]


def mask_emails(text: str, key: bytes) -> str:
    """The text with each e-mail address replaced by its pseudonym."""
    return EMAIL.sub(lambda match: pseudonym(match.group(0), key), text or "")
