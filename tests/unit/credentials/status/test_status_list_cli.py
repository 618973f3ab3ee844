"""`rexvet status-list create|set|clear|get`: files a verifier accepts, and clear errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rexvet_cli.main import main
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.did_key import CompositeKeyResolver
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.status.bitstring import MIN_ENTRIES, Bitstring
from rexvet_credentials.status_list_proof import list_proof_verifier

pytestmark = pytest.mark.unit

URL = "https://issuer.example/status/1"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(Ed25519SigningKey.generate().to_json()))
    return path


def run(*argv: str) -> int:
    return main(list(argv))


async def test_create_set_clear_get(tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "list.json"
    assert run("status-list", "create", "--url", URL, "--key", str(key_file), "--ttl", "60", "-o", str(listing)) == 0
    created = json.loads(listing.read_text())
    assert created["id"] == URL
    assert created["credentialSubject"]["ttl"] == 60_000
    assert Bitstring.decode(created["credentialSubject"]["encodedList"]).length == MIN_ENTRIES

    assert run("status-list", "set", str(listing), "94567", "--key", str(key_file), "-o", str(listing)) == 0
    updated = json.loads(listing.read_text())
    assert Bitstring.decode(updated["credentialSubject"]["encodedList"]).set_bits() == [94567]
    assert updated["proof"]["proofValue"] != created["proof"]["proofValue"]
    # The re-signed list passes the same proof check a verifier applies to fetched lists.
    verdict = await list_proof_verifier(CompositeKeyResolver(), FixedClock(datetime.now(UTC)))(updated)
    assert verdict.valid, verdict.reason

    capsys.readouterr()
    assert run("status-list", "get", str(listing), "94567") == 0
    assert run("status-list", "get", str(listing), "94568") == 0
    assert capsys.readouterr().out.split() == ["1", "0"]

    assert run("status-list", "clear", str(listing), "94567", "--key", str(key_file), "-o", str(listing)) == 0
    assert Bitstring.decode(json.loads(listing.read_text())["credentialSubject"]["encodedList"]).set_bits() == []


def test_errors_are_clear(tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "list.json"
    assert run("status-list", "create", "--url", URL, "--key", str(key_file), "--size", "1024") == 2
    assert "at least 131072" in capsys.readouterr().err
    assert run("status-list", "create", "--url", URL, "--key", str(key_file), "-o", str(listing)) == 0
    assert run("status-list", "set", str(listing), "131072", "--key", str(key_file)) == 2
    assert "outside the list" in capsys.readouterr().err
    assert run("status-list", "get", str(tmp_path / "missing.json"), "1") == 2
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text('{"credentialSubject": {"encodedList": "u-not-gzip"}}')
    assert run("status-list", "get", str(tmp_path / "bad.json"), "1") == 1
    assert "encodedList is not base64url" in capsys.readouterr().err
