"""`/healthz` says the process is alive; `/readyz` pings every configured backend and names the one that fails."""

from __future__ import annotations

import shutil

import pytest
from common.service_harness import running

from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.problems import PROBLEM_MEDIA_TYPE
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app
from rexvet_evidence.settings import EvidenceSettings

pytestmark = pytest.mark.unit


async def test_readyz_reports_each_backend_and_fails_when_one_is_unusable(
    platform: PlatformSettings, trusted_keys: StaticJwks
) -> None:
    settings = EvidenceSettings(platform=platform)
    async with running(create_app(settings, keys=trusted_keys)) as http:
        alive = await http.get("/healthz")
        ready = await http.get("/readyz")
        # The blob directory becomes a plain file: the local blob store can no longer write there.
        shutil.rmtree(settings.blobs_dir)
        settings.blobs_dir.mkdir()
        (settings.blobs_dir / "data").write_text("not a directory")
        broken = await http.get("/readyz")
        still_alive = await http.get("/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"bus": "ok", "documents": "ok", "blobs": "ok"}
    assert broken.status_code == 503
    assert broken.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body = broken.json()
    assert "blobs" in body["detail"]
    assert body["checks"]["bus"] == "ok" and body["checks"]["documents"] == "ok"
    assert "BackendUnavailableError" in body["checks"]["blobs"]
    assert still_alive.status_code == 200


async def test_every_service_serves_its_openapi_document(platform: PlatformSettings, trusted_keys: StaticJwks) -> None:
    from rexvet_coaching.app import create_app as coaching
    from rexvet_coaching.settings import CoachingSettings
    from rexvet_issuer.app import create_app as issuer
    from rexvet_issuer.settings import IssuerSettings
    from rexvet_verifier.app import create_app as verifier
    from rexvet_verifier.settings import VerifierSettings

    apps = {
        "/v1/evidence": create_app(EvidenceSettings(platform=platform), keys=trusted_keys),
        "/v1/staff/{staff_id}/evidence": coaching(CoachingSettings(platform=platform), keys=trusted_keys),
        "/oauth/token": issuer(IssuerSettings(platform=platform)),
        "/readyz": verifier(VerifierSettings(platform=platform), keys=trusted_keys),
    }
    for path, app in apps.items():
        async with running(app) as http:
            document = (await http.get("/openapi.json")).json()
        assert path in document["paths"], app.title
        assert "/healthz" in document["paths"]
