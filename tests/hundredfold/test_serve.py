"""What `hundredfold dashboard` hands Streamlit: the identity provider's secrets in a file only
its owner reads, and a network address only once someone has to sign in."""

from __future__ import annotations

import stat
import tomllib

import pytest

from hundredfold.config import ConfigError, config_from_table
from hundredfold.serve import check_exposure, is_loopback, write_streamlit_secrets

OIDC = {
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
    "client_id": "hundredfold",
    "client_secret": 'a "quoted" secret\\',
    "redirect_uri": "https://hf.example/oauth2callback",
    "cookie_secret": "cookie-secret",
}


def test_the_providers_secrets_reach_streamlit_in_an_owner_only_file(tmp_path):
    config = config_from_table({"sign_in": {"oidc": OIDC}})
    path = write_streamlit_secrets(config, tmp_path)
    assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"auth": OIDC}
    assert write_streamlit_secrets(config_from_table({}), tmp_path / "none") is None


def test_a_network_address_needs_sign_in(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("dashboard.example")
    open_install = config_from_table({"database_url": f"sqlite:///{tmp_path / 'a.db'}"})
    check_exposure(open_install, "127.0.0.1")
    with pytest.raises(ConfigError, match="--host 0.0.0.0: no sign-in is configured"):
        check_exposure(open_install, "0.0.0.0")
    check_exposure(config_from_table({"sign_in": {"oidc": OIDC}}), "0.0.0.0")
