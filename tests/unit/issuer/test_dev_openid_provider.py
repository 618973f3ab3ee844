"""The issuer's development OpenID provider: discovery, the sign-in page, the code flow with PKCE, refresh, refusals."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.auth.verifier import TokenVerifier
from rexvet_common.settings import Environment, PlatformSettings
from rexvet_issuer.app import create_app
from rexvet_issuer.settings import IssuerSettings
from rexvet_issuer.token_service.keys import SigningKeyRing

from .harness import AUDIENCE, ISSUER, Issuer, issuer_service

pytestmark = pytest.mark.unit

CLIENT = "rexvet-portal"
CALLBACK = "https://portal.test/auth/callback"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorization_query(challenge: str, **overrides: str) -> dict[str, str]:
    query = {
        "response_type": "code",
        "client_id": CLIENT,
        "redirect_uri": CALLBACK,
        "scope": "openid profile",
        "state": "state-123",
        "nonce": "nonce-456",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return query | overrides


def own_keys(issuer: Issuer) -> SigningKeyRing:
    """The token service's own key ring (the one its JWKS publishes), not the harness's test ring."""
    ring = issuer.app.state.runtime.context.token_service.keys
    assert isinstance(ring, SigningKeyRing)
    return ring


def form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


async def sign_in(
    issuer: Issuer, challenge: str, *, person: dict[str, Any] | None = None, **overrides: str
) -> httpx.Response:
    page = await issuer.client.get("/authorize", params=authorization_query(challenge, **overrides))
    assert page.status_code == 200, page.text
    fields = form_fields(page.text) | {"action": "sign-in"}
    fields |= person or {"tenant": "omnia", "sub": "alice", "name": "Alice Virtanen", "roles": ["staff", "coach"]}
    return await issuer.client.post("/authorize", data=fields)


def code_of(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == ["state-123"]
    assert query["iss"] == [ISSUER]
    return query["code"][0]


async def redeem(issuer: Issuer, code: str, verifier: str, redirect_uri: str = CALLBACK) -> httpx.Response:
    return await issuer.client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": CLIENT,
            "code_verifier": verifier,
        },
    )


@pytest.fixture
async def issuer(tmp_path: Path) -> Any:
    async with issuer_service(tmp_path, oidc_redirect_uris=CALLBACK) as running:
        yield running


async def test_discovery_describes_the_code_flow_with_pkce(issuer: Issuer) -> None:
    document = (await issuer.client.get("/.well-known/openid-configuration")).json()
    assert document["issuer"] == ISSUER
    assert document["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert document["token_endpoint"] == f"{ISSUER}/oauth/token"
    assert document["jwks_uri"] == f"{ISSUER}/jwks.json"
    assert document["response_types_supported"] == ["code"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert set(document["grant_types_supported"]) == {"client_credentials", "authorization_code", "refresh_token"}
    assert document["id_token_signing_alg_values_supported"] == ["ES256"]
    assert "openid" in document["scopes_supported"]


async def test_the_whole_code_flow_gives_tokens_the_services_accept(issuer: Issuer) -> None:
    verifier, challenge = pkce()
    page = await issuer.client.get("/authorize", params=authorization_query(challenge))
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in page.text and '<label for="tenant">' in page.text
    # The form may go here and, through the redirect that answers it, to the client's registered origin only.
    assert "form-action 'self' https://portal.test;" in page.headers["content-security-policy"]
    code = code_of(await sign_in(issuer, challenge))

    response = await redeem(issuer, code, verifier)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    verifier_of_services = TokenVerifier(StaticJwks(own_keys(issuer).jwks), issuer=ISSUER, audience=AUDIENCE)
    principal = await verifier_of_services.verify(tokens["access_token"])
    assert (principal.sub, principal.tenant) == ("alice", "omnia")
    assert principal.roles == frozenset({"staff", "coach"})
    # staff and coach together: their own ladder and evidence, and reviewing coachees' evidence
    assert {"coaching:read", "coaching:write", "evidence:write", "evidence:review", "issuer:read"} <= principal.scopes
    assert "issuer:write" not in principal.scopes

    key = own_keys(issuer).ensure(allow_create=False).private_key.public_key()
    id_token = jwt.decode(tokens["id_token"], key, algorithms=["ES256"], audience=CLIENT, issuer=ISSUER)
    assert id_token["sub"] == "alice"
    assert id_token["name"] == "Alice Virtanen"
    assert id_token["tenant"] == "omnia"
    assert id_token["roles"] == ["coach", "staff"]
    assert id_token["nonce"] == "nonce-456"

    refreshed = await issuer.client.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": CLIENT},
    )
    assert refreshed.status_code == 200, refreshed.text
    assert (await verifier_of_services.verify(refreshed.json()["access_token"])).sub == "alice"
    # Rotation: the refresh token used once does not work again.
    again = await issuer.client.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": CLIENT},
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_a_staff_member_alone_gets_no_review_scope(issuer: Issuer) -> None:
    verifier, challenge = pkce()
    person = {"tenant": "omnia", "sub": "bob", "name": "Bob", "roles": ["staff"]}
    tokens = (await redeem(issuer, code_of(await sign_in(issuer, challenge, person=person)), verifier)).json()
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert set(claims["scope"].split()) == {
        "coaching:read",
        "coaching:write",
        "evidence:read",
        "evidence:write",
        "issuer:read",
    }


async def test_a_wrong_code_verifier_is_refused(issuer: Issuer) -> None:
    _, challenge = pkce()
    code = code_of(await sign_in(issuer, challenge))
    other_verifier, _ = pkce()
    response = await redeem(issuer, code, other_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "code_verifier" in response.json()["error_description"]


async def test_a_code_works_once_and_its_reuse_withdraws_the_refresh_token(issuer: Issuer) -> None:
    verifier, challenge = pkce()
    code = code_of(await sign_in(issuer, challenge))
    first = await redeem(issuer, code, verifier)
    assert first.status_code == 200
    second = await redeem(issuer, code, verifier)
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"
    refresh = await issuer.client.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"], "client_id": CLIENT},
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


async def test_a_code_redeemed_with_another_redirect_uri_is_refused(issuer: Issuer) -> None:
    verifier, challenge = pkce()
    code = code_of(await sign_in(issuer, challenge))
    response = await redeem(issuer, code, verifier, redirect_uri="https://portal.test/elsewhere")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_an_unregistered_redirect_uri_is_answered_here_not_redirected_to(issuer: Issuer) -> None:
    _, challenge = pkce()
    response = await issuer.client.get(
        "/authorize", params=authorization_query(challenge, redirect_uri="https://evil.test/cb")
    )
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "REXVET_ISSUER_OIDC_REDIRECT_URIS" in response.json()["detail"]


async def test_pkce_is_required(issuer: Issuer) -> None:
    response = await issuer.client.get("/authorize", params=authorization_query("", code_challenge_method="plain"))
    assert response.status_code == 303
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == ["invalid_request"]
    assert query["state"] == ["state-123"]


async def test_the_form_without_its_csrf_token_is_refused(issuer: Issuer) -> None:
    _, challenge = pkce()
    page = await issuer.client.get("/authorize", params=authorization_query(challenge))
    fields = form_fields(page.text) | {"tenant": "omnia", "sub": "alice", "name": "A", "roles": "staff"}
    fields.pop("csrf_token")
    response = await issuer.client.post("/authorize", data=fields)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/csrf-token-invalid")


async def test_bad_fields_are_shown_beside_them(issuer: Issuer) -> None:
    _, challenge = pkce()
    response = await sign_in(issuer, challenge, person={"tenant": "not valid!", "sub": "alice", "name": ""})
    assert response.status_code == 422
    assert 'id="tenant-error"' in response.text and 'id="name-error"' in response.text
    assert 'id="roles-error"' in response.text
    assert 'aria-invalid="true"' in response.text


async def test_the_development_sign_in_is_refused_in_production(tmp_path: Path) -> None:
    ring = SigningKeyRing(tmp_path / "token-keys")
    ring.create()
    platform = PlatformSettings(
        env=Environment.PRODUCTION, data_dir=tmp_path / "var", auth_issuer=ISSUER, auth_audience=AUDIENCE
    )
    settings = IssuerSettings(
        platform=platform,
        public_url="https://issuer.test",
        token_key_dir=tmp_path / "token-keys",
        key_encryption_key=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="),
    )
    app = create_app(settings, keys=StaticJwks(ring.jwks))
    _, challenge = pkce()
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=ISSUER) as client:
        page = await client.get("/authorize", params=authorization_query(challenge))
        posted = await client.post("/authorize", data=authorization_query(challenge))
        discovery = (await client.get("/.well-known/openid-configuration")).json()
        grant = await client.post(
            "/oauth/token",
            data={"grant_type": "authorization_code", "code": "x", "client_id": CLIENT, "code_verifier": "y"},
        )
    assert page.status_code == 403 and page.json()["type"].endswith("/development-signin-refused")
    assert posted.status_code == 403
    assert "authorization_endpoint" not in discovery
    assert discovery["grant_types_supported"] == ["client_credentials"]
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
