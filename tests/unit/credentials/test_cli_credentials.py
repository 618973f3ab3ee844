"""`rexvet credential verify|sign` and `rexvet key generate`, through the CLI's own entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rexvet_cli.main import main

pytestmark = pytest.mark.unit


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_sign_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path) -> None:
    code, out, _ = _run(capsys, "key", "generate")
    assert code == 0
    key = json.loads(out)
    assert key["type"] == "Multikey" and key["controller"].startswith("did:key:z6Mk")
    key_file = tmp_path / "key.json"
    key_file.write_text(out)

    credential = json.loads((conformance_dir / "1edtech-validator-ob30" / "simple.json").read_text())
    del credential["proof"]
    credential["issuer"]["id"] = key["controller"]
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps(credential))

    code, out, err = _run(capsys, "credential", "sign", str(unsigned), "--key", str(key_file))
    assert code == 0, err
    signed = tmp_path / "signed.json"
    signed.write_text(out)
    assert json.loads(out)["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    code, out, _ = _run(capsys, "credential", "verify", str(signed), "--now", "2026-01-01T00:00:00Z")
    assert code == 0
    assert json.loads(out)["outcome"] == "verified"

    code, out, _ = _run(
        capsys, "credential", "verify", str(signed), "--now", "2026-01-01T00:00:00Z", "--trusted-issuer", "did:web:x"
    )
    report = json.loads(out)
    assert code == 0  # an unregistered issuer is a warning
    assert report["checks"][-1]["code"] == "issuer_not_registered"

    tampered = json.loads(signed.read_text())
    tampered["name"] = "Other"
    signed.write_text(json.dumps(tampered))
    code, out, _ = _run(capsys, "credential", "verify", str(signed))
    assert code == 1
    assert json.loads(out)["outcome"] == "failed"


def test_verify_from_stdin_with_preloaded_issuer_document(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> None:
    data = (conformance_dir / "1edtech-validator-ob30" / "simple.json").read_text()
    method = json.loads(data)["proof"][0]["verificationMethod"]
    controller, _, fragment = method.partition("#")
    document = {
        "id": controller,
        "verificationMethod": [
            {"id": method, "type": "Multikey", "controller": controller, "publicKeyMultibase": fragment}
        ],
        "assertionMethod": [method],
    }
    doc_file = tmp_path / "issuer.json"
    doc_file.write_text(json.dumps(document))

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    code, out, _ = _run(capsys, "credential", "verify", "-", "--offline")
    assert code == 1 and json.loads(out)["outcome"] == "incomplete"

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    code, out, _ = _run(capsys, "credential", "verify", "-", "--offline", "--document", f"{controller}={doc_file}")
    assert code == 0 and json.loads(out)["outcome"] == "verified"


@pytest.mark.parametrize(
    "argv",
    [
        ["credential", "verify", "/nonexistent.json"],
        ["credential", "verify", "-", "--now", "not-a-date"],
        ["credential", "verify", "-", "--document", "no-equals-sign"],
        ["credential", "sign", "/nonexistent.json", "--key", "/nonexistent.key"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("rexvet credential")


def test_sign_refuses_a_key_that_is_not_the_issuers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> None:
    _, out, _ = _run(capsys, "key", "generate")
    key_file = tmp_path / "key.json"
    key_file.write_text(out)
    code, out, err = _run(
        capsys,
        "credential",
        "sign",
        str(conformance_dir / "1edtech-validator-ob30" / "simple.json"),
        "--key",
        str(key_file),
    )
    assert code == 1
    assert "already has a proof" in err


@pytest.mark.parametrize(("kind", "kty"), [("p256", "EC"), ("rsa", "RSA")])
def test_generate_jwk_keys(capsys: pytest.CaptureFixture[str], kind: str, kty: str) -> None:
    code, out, _ = _run(capsys, "key", "generate", "--type", kind)
    key = json.loads(out)
    assert code == 0
    assert key["publicKeyJwk"]["kty"] == kty
    assert "d" in key["privateKeyJwk"] and "d" not in key["publicKeyJwk"]
