"""Fixtures for the credential engine's unit tests: keys, loaders, a credential factory, fake ports, and a scripted
HTTP(S) server on 127.0.0.1 (scripted_server.py)."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from credentials.helpers import make_credential
from credentials.scripted_server import ScriptedServer, self_signed_certificate
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import decode_ed25519_secret
from rexvet_credentials.sign import sign_credential

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def w3c_dir(conformance_dir: Path) -> Path:
    return conformance_dir / "w3c-vc-di-eddsa"


@pytest.fixture(scope="session")
def examples_loader(conformance_dir: Path) -> DocumentLoader:
    """Pinned contexts plus the W3C examples context, which only the W3C vectors use."""
    examples = json.loads((conformance_dir / "contexts" / "credentials-examples-v2.jsonld").read_bytes())
    return DocumentLoader({EXAMPLES_V2: examples})


@pytest.fixture(scope="session")
def issuer_key() -> Ed25519SigningKey:
    # The W3C vectors' key, so failures are reproducible.
    private = decode_ed25519_secret("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    return Ed25519SigningKey.from_private_key(private)


@pytest.fixture(scope="session")
def other_key() -> Ed25519SigningKey:
    return Ed25519SigningKey.generate()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def unsigned(issuer_key: Ed25519SigningKey) -> dict[str, Any]:
    return make_credential(issuer_key.controller)


@pytest.fixture
def signed(unsigned: dict[str, Any], issuer_key: Ed25519SigningKey) -> dict[str, Any]:
    result: dict[str, Any] = sign_credential(unsigned, issuer_key, created="2026-01-15T09:00:00Z")
    return result


@pytest.fixture
def http_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[ScriptedServer, Path]]:
    """A server on 127.0.0.1 presenting a certificate for `issuer.test`; yields it and the certificate."""
    cert, key = self_signed_certificate(tmp_path, "issuer.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ScriptedServer(context)
    server.start()
    try:
        yield server, cert
    finally:
        server.stop()
