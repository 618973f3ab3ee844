"""The issuer's embedded token service, run in-process with its real store, keys and HTTP endpoints."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote_plus

import httpx
import pytest
from common.service_harness import AUDIENCE, ISSUER, running
from fastapi import FastAPI
from joserfc import jws

from rexvet_common.auth.jwks import RemoteJwks
from rexvet_common.auth.verifier import TokenVerifier
from rexvet_common.settings import PlatformSettings
from rexvet_issuer.app import create_app
from rexvet_issuer.settings import IssuerSettings
from rexvet_issuer.token_service.clients import COLLECTION, NewClient

pytestmark = pytest.mark.unit

FORM = {"content-type": "application/x-www-form-urlencoded"}


def issuer_settings(platform: PlatformSettings) -> IssuerSettings:
    return IssuerSettings(platform=platform)


async def new_client(app: FastAPI, scopes: list[str]) -> NewClient:
    registry = app.state.runtime.context.token_service.registry
    client: NewClient = await registry.create(tenant="omnia", roles=["hr-system"], scopes=scopes)
    return client


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


async def test_client_secret_basic_gets_a_token_that_services_verify_against_the_jwks(
    platform: PlatformSettings,
) -> None:
    app = create_app(issuer_settings(platform))
    async with running(app, base_url=ISSUER) as http:
        client = await new_client(app, ["hr:write", "hr:read"])
        response = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "hr:write"},
            headers=basic(client.record.client_id, client.secret),
        )
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        body = response.json()
        assert body["token_type"] == "Bearer"
        assert body["scope"] == "hr:write"
        # Another service verifies it the way it would in production: discovery -> JWKS over HTTP.
        discovery = (await http.get("/.well-known/openid-configuration")).json()
        assert discovery["issuer"] == ISSUER
        assert "client_secret_basic" in discovery["token_endpoint_auth_methods_supported"]
        keys = RemoteJwks(discovery["jwks_uri"], transport=httpx.ASGITransport(app=app))
        principal = await TokenVerifier(keys, issuer=ISSUER, audience=AUDIENCE).verify(body["access_token"])
    assert principal.sub == client.record.client_id
    assert principal.tenant == "omnia"
    assert principal.roles == frozenset({"hr-system"})
    assert principal.scopes == frozenset({"hr:write"})


async def test_client_secret_post_gets_every_allowed_scope_by_default(platform: PlatformSettings) -> None:
    app = create_app(issuer_settings(platform))
    async with running(app, base_url=ISSUER) as http:
        client = await new_client(app, ["hr:write", "hr:read"])
        response = await http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client.record.client_id,
                "client_secret": client.secret,
            },
        )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "hr:read hr:write"


async def test_the_secret_is_stored_only_as_a_salted_hash(platform: PlatformSettings) -> None:
    app = create_app(issuer_settings(platform))
    async with running(app, base_url=ISSUER):
        client = await new_client(app, ["hr:write"])
        stored = await app.state.runtime.platform.documents.get(COLLECTION, client.record.client_id)
    assert stored is not None
    assert client.secret not in str(stored)
    assert stored["secret_hash"].startswith("scrypt$")


@pytest.mark.parametrize(
    ("form", "use_basic_with", "status", "error"),
    [
        ({"grant_type": "client_credentials"}, "wrong-secret", 401, "invalid_client"),
        ({"grant_type": "password"}, "right", 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "hr:write admin:all"}, "right", 400, "invalid_scope"),
        ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
    ],
)
async def test_token_errors_are_oauth_errors_inside_problem_details(
    platform: PlatformSettings, form: dict[str, str], use_basic_with: str | None, status: int, error: str
) -> None:
    app = create_app(issuer_settings(platform))
    async with running(app, base_url=ISSUER) as http:
        client = await new_client(app, ["hr:write"])
        headers = {}
        if use_basic_with is not None:
            secret = client.secret if use_basic_with == "right" else use_basic_with
            headers = basic(client.record.client_id, secret)
        response = await http.post("/oauth/token", data=form, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["error"] == error
    assert body["status"] == status
    if use_basic_with == "wrong-secret":
        assert response.headers["www-authenticate"].startswith("Basic")


async def test_jwks_publishes_the_key_generated_on_first_start(platform: PlatformSettings, tmp_path: Path) -> None:
    settings = issuer_settings(platform)
    async with running(create_app(settings), base_url=ISSUER) as http:
        first = (await http.get("/jwks.json")).json()
    async with running(create_app(settings), base_url=ISSUER) as http:
        second = (await http.get("/jwks.json")).json()
    assert len(first["keys"]) == 1
    assert first == second  # persisted under the data directory, not regenerated
    key = first["keys"][0]
    assert key["kid"] and key["alg"] == "ES256" and "d" not in key
    assert (settings.token_keys_path / f"{key['kid']}.pem").stat().st_mode & 0o077 == 0


async def test_production_refuses_to_generate_a_signing_key(tmp_path: Path) -> None:
    from rexvet_common.errors import ConfigurationError

    production = PlatformSettings(env="production", data_dir=tmp_path / "var", auth_issuer=ISSUER)
    app = create_app(IssuerSettings(platform=production))
    with pytest.raises(ConfigurationError, match="REXVET_ISSUER_TOKEN_KEY_DIR"):
        async with running(app, base_url=ISSUER):
            pass


async def test_a_rotated_key_is_fetched_again_and_the_old_one_still_verifies(platform: PlatformSettings) -> None:
    from rexvet_issuer.bootstrap import signing_key_ring
    from rexvet_issuer.token_service.tokens import mint_access_token

    settings = issuer_settings(platform)
    app = create_app(settings)
    async with running(app, base_url=ISSUER):
        ring = signing_key_ring(settings)
        keys = RemoteJwks(f"{ISSUER}/jwks.json", min_refetch_seconds=0, transport=httpx.ASGITransport(app=app))
        verifier = TokenVerifier(keys, issuer=ISSUER, audience=AUDIENCE)

        def token() -> str:
            key = ring.ensure(allow_create=False)
            return mint_access_token(
                key,
                issuer=ISSUER,
                audience=AUDIENCE,
                sub="alice",
                tenant="omnia",
                roles=["staff"],
                scopes=["x:y"],
                ttl_seconds=300,
            )

        before_rotation = token()
        assert (await verifier.verify(before_rotation)).sub == "alice"  # caches the one-key set
        rotated = ring.create()
        after_rotation = token()
        assert jws.extract_compact(after_rotation.encode()).headers()["kid"] == rotated.kid
        assert (await verifier.verify(after_rotation)).sub == "alice"  # unknown kid: fetched again
        assert (await verifier.verify(before_rotation)).sub == "alice"  # the old key is still published
