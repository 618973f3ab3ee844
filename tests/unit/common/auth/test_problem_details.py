"""Every error a service answers is RFC 9457 problem details, FastAPI's own routing and validation errors too."""

from __future__ import annotations

import pytest
from common.service_harness import TokenFactory, bearer, running

from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.problems import PROBLEM_MEDIA_TYPE
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app
from rexvet_evidence.settings import EvidenceSettings

pytestmark = pytest.mark.unit


async def test_routing_and_validation_errors_are_problem_details(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory
) -> None:
    async with running(create_app(EvidenceSettings(platform=platform), keys=trusted_keys)) as http:
        unknown = await http.get("/v1/nothing-here")
        wrong_method = await http.delete("/v1/evidence")
        invalid = await http.post("/v1/evidence", json={"title": "", "colour": "red"}, headers=bearer(make_token()))
    for response, status in ((unknown, 404), (wrong_method, 405), (invalid, 422)):
        assert response.status_code == status
        assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
        body = response.json()
        assert body["status"] == status and body["type"].startswith("https://") and body["title"]
    locations = {error["location"] for error in invalid.json()["errors"]}
    assert {"body.title", "body.colour"} <= locations
