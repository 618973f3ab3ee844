"""The institution's LinkedIn organization id in its issuer profile: set by its admin, validated, kept beside the
published Profile (never in it or in credentials), and handed to its staff's list of badges for their LinkedIn
links."""

from __future__ import annotations

import pytest

from rexvet_issuer.application import issuers

from .harness import Issuer, eligible

pytestmark = pytest.mark.unit

PROFILE = {"name": "Omnia", "url": "https://www.omnia.fi/"}


async def test_the_admin_sets_it_and_staff_badge_lists_carry_it_but_no_published_document(issuer: Issuer) -> None:
    admin = issuer.auth("a-1", "institution-admin")
    body = PROFILE | {"linkedin_organization_id": "2414183"}
    response = await issuer.client.put("/v1/issuer/profile", json=body, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["linkedin_organization_id"] == "2414183"
    read = await issuer.client.get("/v1/issuer/profile", headers=admin)
    assert read.json()["linkedin_organization_id"] == "2414183"
    public = (await issuer.client.get("/v1/issuers/omnia")).json()
    assert "linkedin_organization_id" not in public
    await issuer.publish_eligible(eligible())
    await issuer.settled()
    listing = (await issuer.client.get("/v1/me/credentials", headers=issuer.auth("s-1"))).json()
    assert listing["linkedin_organization_id"] == "2414183" and len(listing["items"]) == 1
    assert "linkedin" not in str(listing["items"][0]["credential"]).lower()
    # A PUT sets the whole profile: without the field the institution has none any more, and lists carry none.
    assert (await issuer.client.put("/v1/issuer/profile", json=PROFILE, headers=admin)).status_code == 200
    listing = (await issuer.client.get("/v1/me/credentials", headers=issuer.auth("s-1"))).json()
    assert "linkedin_organization_id" not in listing


@pytest.mark.parametrize("value", ["abc", "12 34", "", "1" * 21, "-5", 2414183])
async def test_a_bad_organization_id_is_a_problem_naming_the_field(issuer: Issuer, value: object) -> None:
    body = PROFILE | {"linkedin_organization_id": value}
    response = await issuer.client.put("/v1/issuer/profile", json=body, headers=issuer.auth("a", "institution-admin"))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    locations = [error["location"] for error in response.json()["errors"]]
    assert "body.linkedin_organization_id" in locations
    assert (
        await issuer.client.get("/v1/issuer/profile", headers=issuer.auth("a", "institution-admin"))
    ).status_code == (404)  # nothing was written


async def test_an_issuer_record_stored_before_the_field_still_loads(issuer: Issuer) -> None:
    admin = issuer.auth("a-1", "institution-admin")
    assert (await issuer.client.put("/v1/issuer/profile", json=PROFILE, headers=admin)).status_code == 200
    stored = await issuer.documents.get(issuers.COLLECTION, "omnia")
    assert stored is not None
    old = {k: v for k, v in stored.items() if k != "linkedin_organization_id"}
    assert issuers.issuer_from(old).linkedin_organization_id is None
    await issuer.documents.replace(issuers.COLLECTION, old)
    read = await issuer.client.get("/v1/issuer/profile", headers=admin)
    assert read.status_code == 200 and "linkedin_organization_id" not in read.json()
