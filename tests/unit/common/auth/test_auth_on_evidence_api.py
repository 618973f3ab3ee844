"""Auth on a real service (evidence, embedded adapters in a temporary directory): each failure has its status."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from common.service_harness import AUDIENCE, ISSUER, TokenFactory, bearer, running
from fastapi import FastAPI
from testkit.problems import assert_problem

from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.token_service.keys import SigningKeyRing

pytestmark = pytest.mark.unit

SUBMISSION = {"title": "Hosted a guest teacher from Tallinn"}


def evidence_app(platform: PlatformSettings, keys: StaticJwks) -> FastAPI:
    return create_app(EvidenceSettings(platform=platform), keys=keys)


async def test_a_staff_member_with_the_scope_submits_and_reads_back(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    async with running(evidence_app(platform, trusted_keys)) as client:
        created = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token()))
        assert created.status_code == 201, created.text
        assert created.json()["staff_id"] == "alice"
        read = await client.get(created.headers["location"], headers=bearer(make_token()))
        assert read.status_code == 200
        assert read.json()["title"] == SUBMISSION["title"]


async def test_no_token_is_401_with_a_bearer_challenge(platform: PlatformSettings, trusted_keys: StaticJwks) -> None:
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post("/v1/evidence", json=SUBMISSION)
    assert_problem(response, 401, "Authorization: Bearer")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_malformed_token_is_401(platform: PlatformSettings, trusted_keys: StaticJwks) -> None:
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer("not-a-jwt"))
    assert_problem(response, 401, "not a well-formed JWT")


async def test_a_token_signed_by_another_key_is_401(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory, tmp_path: Path
) -> None:
    # Same kid as the trusted key, different private key: only the signature can tell them apart.
    trusted_kid = (await trusted_keys.signing_key(None)).kid
    impostor = SigningKeyRing(tmp_path / "impostor")
    forged_key = impostor.create()
    (impostor.directory / f"{forged_key.kid}.pem").rename(impostor.directory / f"{trusted_kid}.pem")
    token = make_token(ring=impostor)
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(token))
    assert_problem(response, 401, "signature does not verify")


async def test_a_token_with_an_unpublished_key_id_is_401(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory, tmp_path: Path
) -> None:
    stranger = SigningKeyRing(tmp_path / "stranger")
    stranger.create()
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token(ring=stranger)))
    assert_problem(response, 401, "unknown key")


async def test_an_expired_token_is_401(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    expired = make_token(now=time.time() - 7200, ttl_seconds=600)
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(expired))
    assert_problem(response, 401, "expired")


async def test_a_token_from_another_issuer_is_401(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post(
            "/v1/evidence", json=SUBMISSION, headers=bearer(make_token(issuer="https://elsewhere.example"))
        )
    assert_problem(response, 401, ISSUER)


async def test_missing_scope_is_403(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    token = make_token(scopes=("evidence:read",))
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(token))
    assert_problem(response, 403, "evidence:write")
    assert response.json()["required_scope"] == "evidence:write"


async def test_missing_role_is_403(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    # An HR system's token has the scope but not the staff role that submitting evidence needs.
    token = make_token(sub="hr-connector", roles=("hr-system",))
    async with running(evidence_app(platform, trusted_keys)) as client:
        response = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(token))
    assert_problem(response, 403, "roles")


async def test_another_tenants_evidence_is_404_like_a_missing_one(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    async with running(evidence_app(platform, trusted_keys)) as client:
        created = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token(tenant="omnia")))
        location = created.headers["location"]
        # A coach of another institution may read any evidence of their own institution, never this one.
        other = make_token(sub="bob", tenant="tartu-vec", roles=("coach",))
        foreign = await client.get(location, headers=bearer(other))
        missing = await client.get("/v1/evidence/00000000-0000-0000-0000-000000000000", headers=bearer(other))
        same_tenant_coach = make_token(sub="carol", tenant="omnia", roles=("coach",))
        allowed = await client.get(location, headers=bearer(same_tenant_coach))
    assert_problem(foreign, 404, "no such evidence")
    assert_problem(missing, 404, "no such evidence")
    assert foreign.json()["detail"] == missing.json()["detail"]
    assert allowed.status_code == 200


async def test_production_refuses_development_tokens(
    tmp_path: Path, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    production = PlatformSettings(
        env="production", data_dir=tmp_path / "var", auth_issuer=ISSUER, auth_audience=AUDIENCE
    )
    settings = EvidenceSettings(platform=production, blob_url_secret="a-real-secret-of-some-length-1234")
    async with running(create_app(settings, keys=trusted_keys)) as client:
        dev = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token(rexvet_dev=True)))
        real = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token()))
    assert_problem(dev, 401, "development tokens")
    assert real.status_code == 201
