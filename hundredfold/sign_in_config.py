"""The `[sign_in]` table: how long a dashboard session lasts, what executives see of authors,
and the identity provider Streamlit's own OIDC sign-in (`st.login`) talks to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_IDLE_SECONDS = 3600
# What Streamlit's [auth] section needs; `cookie_secret` signs its identity cookie.
OIDC_KEYS = ("server_metadata_url", "client_id", "client_secret", "redirect_uri", "cookie_secret")
SIGN_IN_KEYS = ("idle_timeout", "executives_see_authors", "max_failures", "oidc")


@dataclass(frozen=True)
class OidcProvider:
    """An OpenID Connect provider; users sign in there and are matched by e-mail."""

    server_metadata_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    cookie_secret: str

    def __repr__(self) -> str:
        # Never print the secrets, not even in a traceback's locals.
        return f"OidcProvider({self.server_metadata_url!r}, client_id={self.client_id!r})"

    def streamlit_secrets(self) -> dict[str, dict[str, str]]:
        """The `[auth]` table Streamlit reads from its secrets file."""
        return {
            "auth": {
                "redirect_uri": self.redirect_uri,
                "cookie_secret": self.cookie_secret,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "server_metadata_url": self.server_metadata_url,
            }
        }


@dataclass(frozen=True)
class SignInConfig:
    """Session idle time, author names for executives, sign-in attempts, and OIDC."""

    idle_seconds: int = DEFAULT_IDLE_SECONDS
    executives_see_authors: bool = False
    # Failed sign-ins per name, and per address, within a quarter of an hour before refusing.
    max_failures: int = 5
    oidc: OidcProvider | None = None


def parse_sign_in(table: Mapping[str, Any], where: str) -> SignInConfig:
    """Validate `[sign_in]` (and `[sign_in.oidc]`); errors name the field."""
    from hundredfold.config import ConfigError, parse_duration, resolve_secret

    for key in table:
        if key not in SIGN_IN_KEYS:
            raise ConfigError(f"{where}: sign_in.{key}: unknown (known: {', '.join(SIGN_IN_KEYS)})")
    try:
        idle = parse_duration(table.get("idle_timeout", DEFAULT_IDLE_SECONDS))
    except ValueError as error:
        raise ConfigError(f"{where}: sign_in.idle_timeout: {error}") from error
    see = table.get("executives_see_authors", False)
    if not isinstance(see, bool):
        raise ConfigError(f"{where}: sign_in.executives_see_authors: expected true or false")
    failures = table.get("max_failures", 5)
    if not isinstance(failures, int) or isinstance(failures, bool) or failures < 1:
        raise ConfigError(f"{where}: sign_in.max_failures: expected a positive number")
    oidc = None
    if "oidc" in table:
        given = table["oidc"]
        if not isinstance(given, dict):
            raise ConfigError(f"{where}: sign_in.oidc: expected a table")
        missing = [key for key in OIDC_KEYS if not given.get(key)]
        unknown = [key for key in given if key not in OIDC_KEYS]
        if missing or unknown:
            problem = f"missing {', '.join(missing)}" if missing else f"unknown {unknown[0]}"
            raise ConfigError(f"{where}: sign_in.oidc: {problem} (keys: {', '.join(OIDC_KEYS)})")
        values = {key: str(resolve_secret(given[key], f"sign_in.oidc.{key}")) for key in OIDC_KEYS}
        oidc = OidcProvider(**values)
    return SignInConfig(idle, see, failures, oidc)
