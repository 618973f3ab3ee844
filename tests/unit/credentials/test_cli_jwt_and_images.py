"""`rexvet credential sign --format jwt`, `rexvet credential bake`, and `verify` on JWT text and images."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import png
import pytest

from rexvet_cli.main import main
from rexvet_credentials.keys import generate_key_document

from .baking.test_baking import SVG
from .ob3_credentials import ob3_credential

pytestmark = pytest.mark.unit


def write_png(path: Path) -> None:
    out = io.BytesIO()
    png.Writer(width=2, height=2, greyscale=True).write(out, [[0, 255], [255, 0]])
    path.write_bytes(out.getvalue())


def report_of(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("key_type", "alg"), [("ed25519", "EdDSA"), ("p256", "ES256")])
def test_sign_jwt_bake_and_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str], key_type: str, alg: str) -> None:
    key = generate_key_document(key_type)  # type: ignore[arg-type]
    (tmp_path / "key.json").write_text(json.dumps(key))
    (tmp_path / "credential.json").write_text(json.dumps(ob3_credential(key["controller"])))
    assert (
        main(
            [
                "credential",
                "sign",
                str(tmp_path / "credential.json"),
                "--key",
                str(tmp_path / "key.json"),
                "--format",
                "jwt",
            ]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    assert token.count(".") == 2
    (tmp_path / "credential.jwt").write_text(token + "\n")
    assert main(["credential", "verify", str(tmp_path / "credential.jwt"), "--now", "2026-06-01T00:00:00Z"]) == 0
    report = report_of(capsys)
    assert report["outcome"] == "verified"
    assert alg in json.dumps(report["checks"])

    write_png(tmp_path / "badge.png")
    (tmp_path / "badge.svg").write_bytes(SVG)
    for image in ("badge.png", "badge.svg"):
        baked = tmp_path / f"baked-{image}"
        args = ["credential", "bake", str(tmp_path / "credential.jwt"), str(tmp_path / image), "-o", str(baked)]
        assert main(args) == 0
        assert main(["credential", "verify", str(baked), "--now", "2026-06-01T00:00:00Z"]) == 0
        assert report_of(capsys)["outcome"] == "verified"


def test_tampered_jwt_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = generate_key_document("p256")
    (tmp_path / "key.json").write_text(json.dumps(key))
    (tmp_path / "c.json").write_text(json.dumps(ob3_credential(key["controller"])))
    assert (
        main(["credential", "sign", str(tmp_path / "c.json"), "--key", str(tmp_path / "key.json"), "--format", "jwt"])
        == 0
    )
    head, payload, signature = capsys.readouterr().out.strip().split(".")
    (tmp_path / "t.jwt").write_text(f"{head}.{payload[:-4]}AAAA.{signature}")
    assert main(["credential", "verify", str(tmp_path / "t.jwt"), "--now", "2026-06-01T00:00:00Z"]) == 1
    assert report_of(capsys)["outcome"] == "failed"


def test_bake_refuses_what_is_not_a_credential(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_png(tmp_path / "badge.png")
    (tmp_path / "note.txt").write_text("hello")
    assert main(["credential", "bake", str(tmp_path / "note.txt"), str(tmp_path / "badge.png")]) == 1
    assert "baked_content_unknown" in capsys.readouterr().err
    (tmp_path / "c.json").write_text("{}")
    assert main(["credential", "bake", str(tmp_path / "c.json"), str(tmp_path / "note.txt")]) == 1
    assert "unsupported_image" in capsys.readouterr().err


def test_rsa_key_without_controller_signs_with_jwk_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "key.json").write_text(json.dumps(generate_key_document("rsa")))
    (tmp_path / "c.json").write_text(json.dumps(ob3_credential("https://issuer.example/profile")))
    assert (
        main(["credential", "sign", str(tmp_path / "c.json"), "--key", str(tmp_path / "key.json"), "--format", "jwt"])
        == 0
    )
    header = capsys.readouterr().out.split(".")[0]
    decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    assert decoded["alg"] == "RS256"
    assert decoded["jwk"]["kty"] == "RSA"
