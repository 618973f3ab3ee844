"""REXVET_TLS_CERT_FILE / REXVET_TLS_KEY_FILE: a service serves https itself, and every address follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexvet_cli.platform import SERVICES
from rexvet_common.errors import ConfigurationError
from rexvet_common.serve import tls_options
from rexvet_common.settings import PlatformSettings, default_auth_issuer

pytestmark = pytest.mark.unit


def test_without_tls_settings_the_services_speak_plain_http() -> None:
    assert tls_options(PlatformSettings(tls_cert_file=None, tls_key_file=None)) == {}
    issuer = next(spec for spec in SERVICES if spec.name == "issuer")
    assert issuer.url({}) == "http://127.0.0.1:8003"
    assert default_auth_issuer({}) == "http://127.0.0.1:8003"


def test_with_both_files_uvicorn_serves_https_and_the_addresses_are_https(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("certificate"), key.write_text("key")
    options = tls_options(PlatformSettings(tls_cert_file=cert, tls_key_file=key))
    assert options == {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    env = {"REXVET_TLS_CERT_FILE": str(cert), "REXVET_ISSUER_PORT": "8443"}
    assert next(spec for spec in SERVICES if spec.name == "verifier").url(env) == "https://127.0.0.1:8004"
    assert default_auth_issuer(env) == "https://127.0.0.1:8443"


def test_one_file_alone_or_a_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("certificate")
    with pytest.raises(ConfigurationError, match="set both or neither"):
        tls_options(PlatformSettings(tls_cert_file=cert, tls_key_file=None))
    with pytest.raises(ConfigurationError, match="REXVET_TLS_KEY_FILE names"):
        tls_options(PlatformSettings(tls_cert_file=cert, tls_key_file=tmp_path / "absent.pem"))
