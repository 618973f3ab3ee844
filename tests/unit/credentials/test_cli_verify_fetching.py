"""`rexvet credential verify` fetches what a credential names (its issuer's controller document here) through the
verifier service's guarded fetcher and policy: development reaches the issuer of `make run` on loopback over http,
production refuses it as the service does, and `--offline` fetches nothing at all."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rexvet_cli.main import main

pytestmark = pytest.mark.unit

NOW = "2026-01-01T00:00:00Z"


class DocumentServer:
    """One JSON document at one path on 127.0.0.1, counting the requests it answers."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {}
        self.requests = 0
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                served.requests += 1
                body = json.dumps(served.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.controller = f"http://127.0.0.1:{self.server.server_address[1]}/v1/issuers/omnia"


@pytest.fixture
def issuer_server() -> Iterator[DocumentServer]:
    served = DocumentServer()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()
        thread.join()


@pytest.fixture
def signed_by_loopback_issuer(
    issuer_server: DocumentServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> Path:
    """A credential signed with a key whose controller document only the server on 127.0.0.1 serves."""
    assert main(["key", "generate"]) == 0
    key = json.loads(capsys.readouterr().out)
    key["controller"] = issuer_server.controller
    key["id"] = f"{issuer_server.controller}#key-1"
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key))
    issuer_server.document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": issuer_server.controller,
        "verificationMethod": [
            {
                "id": key["id"],
                "type": "Multikey",
                "controller": issuer_server.controller,
                "publicKeyMultibase": key["publicKeyMultibase"],
            }
        ],
        "assertionMethod": [key["id"]],
    }
    credential = json.loads((conformance_dir / "1edtech-validator-ob30" / "simple.json").read_text())
    del credential["proof"]
    credential["issuer"]["id"] = issuer_server.controller
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps(credential))
    assert main(["credential", "sign", str(unsigned), "--key", str(key_file)]) == 0
    signed = tmp_path / "signed.json"
    signed.write_text(capsys.readouterr().out)
    return signed


def verify(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["credential", "verify", *argv, "--now", NOW])
    return code, json.loads(capsys.readouterr().out)


def proof_code(report: dict[str, Any]) -> str:
    code: str = next(c for c in report["checks"] if c["id"] == "proof")["code"]
    return code


@pytest.fixture(autouse=True)
def user_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("REXVET_ENV", "REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REXVET_DATA_DIR", str(tmp_path / "var"))


def test_development_fetches_the_issuers_document_from_loopback_and_verifies(
    signed_by_loopback_issuer: Path, issuer_server: DocumentServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = verify(capsys, str(signed_by_loopback_issuer))
    assert report["outcome"] == "verified", report
    assert code == 0
    assert issuer_server.requests >= 1


def test_production_refuses_loopback_over_http_as_the_verifier_service_does(
    signed_by_loopback_issuer: Path,
    issuer_server: DocumentServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    code, report = verify(capsys, str(signed_by_loopback_issuer))
    proof = next(c for c in report["checks"] if c["id"] == "proof")
    assert code == 1
    assert report["outcome"] == "failed"  # the verifier service's verdict too: a key nobody may fetch is unusable
    assert proof["code"] == "controller_document_refused"
    assert "only https URLs are fetched" in proof["message"]
    assert issuer_server.requests == 0


def test_production_refuses_to_open_loopback_fetching_and_says_what_to_change(
    signed_by_loopback_issuer: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    monkeypatch.setenv("REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH", "true")
    code = main(["credential", "verify", str(signed_by_loopback_issuer)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH" in captured.err


def test_offline_fetches_nothing_and_serves_given_documents(
    signed_by_loopback_issuer: Path,
    issuer_server: DocumentServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = verify(capsys, str(signed_by_loopback_issuer), "--offline")
    assert (code, report["outcome"], proof_code(report)) == (1, "incomplete", "key_resolution_unavailable")
    assert "--document" in next(c for c in report["checks"] if c["id"] == "proof")["message"]

    document = tmp_path / "issuer.json"
    document.write_text(json.dumps(issuer_server.document))
    given = f"{issuer_server.controller}={document}"
    code, report = verify(capsys, str(signed_by_loopback_issuer), "--offline", "--document", given)
    assert (code, report["outcome"]) == (0, "verified")
    assert issuer_server.requests == 0


@pytest.fixture
def signed_by_loopback_did_web(
    issuer_server: DocumentServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> Path:
    """Signed under `did:web:127.0.0.1%3A<port>:v1:issuers:omnia`, as the issuer of `make run` signs."""
    port = issuer_server.server.server_address[1]
    did = f"did:web:127.0.0.1%3A{port}:v1:issuers:omnia"
    assert main(["key", "generate"]) == 0
    key = json.loads(capsys.readouterr().out)
    key["controller"], key["id"] = did, f"{did}#{key['publicKeyMultibase']}"
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key))
    method = {"id": key["id"], "type": "Multikey", "controller": did, "publicKeyMultibase": key["publicKeyMultibase"]}
    issuer_server.document = {"id": did, "verificationMethod": [method], "assertionMethod": [key["id"]]}
    credential = json.loads((conformance_dir / "1edtech-validator-ob30" / "simple.json").read_text())
    del credential["proof"]
    credential["issuer"]["id"] = did
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps(credential))
    assert main(["credential", "sign", str(unsigned), "--key", str(key_file)]) == 0
    signed = tmp_path / "signed.json"
    signed.write_text(capsys.readouterr().out)
    return signed


def test_development_reads_a_loopback_did_web_over_http_and_production_does_not(
    signed_by_loopback_did_web: Path,
    issuer_server: DocumentServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = verify(capsys, str(signed_by_loopback_did_web))
    assert (code, report["outcome"]) == (0, "verified"), report
    assert issuer_server.requests >= 1

    asked = issuer_server.requests
    monkeypatch.setenv("REXVET_ENV", "production")  # did:web over https only, and loopback refused
    code, report = verify(capsys, str(signed_by_loopback_did_web))
    assert (code, report["outcome"], proof_code(report)) == (1, "failed", "controller_document_refused"), report
    assert issuer_server.requests == asked
