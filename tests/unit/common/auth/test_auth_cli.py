"""`rexvet auth create-client` and `rexvet auth dev-token`, run through the CLI's own entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from joserfc import jws, jwt
from joserfc.jwk import ECKey

from rexvet_cli.main import main
from rexvet_common.auth.principal import DEV_TOKEN_CLAIM

pytestmark = pytest.mark.unit


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REXVET_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("REXVET_AUTH_ISSUER", "http://127.0.0.1:8003")
    return tmp_path / "var"


def test_dev_token_carries_the_claims_and_is_signed_by_the_issuers_key(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["auth", "dev-token", "--tenant", "omnia", "--sub", "alice", "--roles", "staff,coach", "--scope", "a:b c:d"]
    )
    assert code == 0
    token = capsys.readouterr().out.strip()
    header = jws.extract_compact(token.encode()).headers()
    key_file = data_dir / "issuer" / "token-keys" / f"{header['kid']}.pem"
    public_key = ECKey.import_key(ECKey.import_key(key_file.read_bytes()).as_dict(private=False))
    claims = jwt.decode(token, public_key, algorithms=["ES256"]).claims
    assert claims["aud"] == "rexvet"
    assert claims["sub"] == "alice"
    assert claims["tenant"] == "omnia"
    assert claims["roles"] == ["coach", "staff"]
    assert claims["scope"] == "a:b c:d"
    assert claims["iss"] == "http://127.0.0.1:8003"
    assert claims[DEV_TOKEN_CLAIM] is True


def test_dev_token_is_refused_in_production(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    code = main(["auth", "dev-token", "--tenant", "omnia", "--sub", "alice", "--roles", "staff", "--scope", "x:y"])
    captured = capsys.readouterr()
    assert code != 0
    assert captured.out == ""
    assert "production" in captured.err
    assert not (data_dir / "issuer" / "token-keys").exists()


def test_create_client_shows_the_secret_once_and_rejects_unknown_roles(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["auth", "create-client", "--tenant", "omnia", "--roles", "hr-system", "--scope", "hr:write", "--json"])
    assert code == 0
    created = json.loads(capsys.readouterr().out)
    assert created["client_id"].startswith("omnia.")
    assert len(created["client_secret"]) >= 32
    assert created["token_endpoint"] == "http://127.0.0.1:8003/oauth/token"
    stored = b"".join(path.read_bytes() for path in (data_dir / "issuer").glob("documents.sqlite3*"))
    assert created["client_id"].encode() in stored  # the store really holds the client...
    assert created["client_secret"].encode() not in stored  # ...but never its secret

    code = main(["auth", "create-client", "--tenant", "omnia", "--roles", "wizard", "--scope", "hr:write"])
    assert code == 2
    assert "wizard" in capsys.readouterr().err


def test_dev_token_and_token_url_follow_the_issuers_port_and_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # No REXVET_AUTH_ISSUER: the platform a user starts with REXVET_ISSUER_PORT=8303 expects that issuer's tokens.
    monkeypatch.delenv("REXVET_AUTH_ISSUER", raising=False)
    monkeypatch.setenv("REXVET_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("REXVET_ISSUER_PORT", "8303")
    monkeypatch.setenv("REXVET_ISSUER_HOST", "127.0.0.2")
    assert main(["auth", "dev-token", "--tenant", "omnia", "--sub", "alice", "--roles", "staff", "--scope", "a:b"]) == 0
    claims = json.loads(jws.extract_compact(capsys.readouterr().out.strip().encode()).payload)
    assert claims["iss"] == "http://127.0.0.2:8303"

    assert main(["auth", "create-client", "--tenant", "omnia", "--roles", "hr-system", "--scope", "hr:write"]) == 0
    assert "token URL:     http://127.0.0.2:8303/oauth/token" in capsys.readouterr().out


def test_an_explicit_auth_issuer_wins_over_the_issuers_port(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REXVET_AUTH_ISSUER", "https://badges.example.org")
    monkeypatch.setenv("REXVET_ISSUER_PORT", "8303")
    assert main(["auth", "create-client", "--tenant", "omnia", "--roles", "hr-system", "--scope", "hr:write"]) == 0
    assert "token URL:     https://badges.example.org/oauth/token" in capsys.readouterr().out
