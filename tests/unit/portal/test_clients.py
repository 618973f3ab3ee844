"""The portal's typed clients of coaching and the issuer, against the real apps, and their errors."""

from __future__ import annotations

import httpx
import pytest
from issuer.harness import eligible  # the issuer tests' package (tests/unit is on the path)

from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token
from rexvet_portal.adapters.coaching_client import CoachingClient
from rexvet_portal.adapters.issuer_client import IssuerClient
from rexvet_portal.adapters.service_http import ServiceHttp
from rexvet_portal.application.caller_language import CALLER_LANGUAGE
from rexvet_portal.application.errors import NotFoundThere, Refused, ServiceDown, SignInNeeded

from .harness import AUDIENCE, COACHING, ISSUER, ISSUER_API, World

pytestmark = pytest.mark.unit


def token(w: World, sub: str = "alice", roles: tuple[str, ...] = ("staff",)) -> str:
    ring = w.issuer.app.state.runtime.context.token_service.keys
    assert isinstance(ring, SigningKeyRing)
    return mint_access_token(
        ring.ensure(allow_create=False),
        issuer=ISSUER,
        audience=AUDIENCE,
        sub=sub,
        tenant="omnia",
        roles=roles,
        scopes=["coaching:read", "coaching:write", "issuer:read"],
        ttl_seconds=600,
    )


def clients(w: World) -> tuple[CoachingClient, IssuerClient, httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=w.hosts)
    return (
        CoachingClient(ServiceHttp("coaching", COACHING, http)),
        IssuerClient(ServiceHttp("issuer", ISSUER_API, http)),
        http,
    )


async def test_the_ladder_and_the_framework_are_read_into_view_models(w: World) -> None:
    coaching, _, http = clients(w)
    async with http:
        standing = await coaching.ladder(token(w))
        framework = await coaching.framework("omnia", token(w), standing.framework_version)
    assert (standing.institution, standing.staff_id) == ("omnia", "alice")
    assert {d.direction for d in standing.directions} == {"home", "abroad"}
    assert all(d.next_step.action == "enrol" and d.pathway is None for d in standing.directions)
    assert [level.id for level in framework.ordered_levels()] == ["rookie", "advanced", "expert"]
    rookie = framework.badge("abroad-rookie")
    assert rookie is not None and rookie.module.steps and rookie.module.evidence
    assert any(step.sign_off == "coach" for step in rookie.module.steps)


async def test_enrolling_returns_the_enrolment_and_a_bad_request_names_its_field(w: World) -> None:
    coaching, _, http = clients(w)
    async with http:
        enrolment_id = await coaching.enrol(token(w), "abroad-rookie", "carl")
        standing = await coaching.ladder(token(w))
        with pytest.raises(Refused) as refused:
            await coaching.enrol(token(w), "home-rookie", "not a valid id!")
    abroad = next(d for d in standing.directions if d.direction == "abroad")
    assert abroad.pathway is not None and abroad.pathway.enrolment_id == enrolment_id
    assert refused.value.status == 422 and "coach_id" in refused.value.errors


async def test_an_unknown_badge_is_not_found(w: World) -> None:
    coaching, _, http = clients(w)
    async with http:
        with pytest.raises(NotFoundThere):
            await coaching.enrol(token(w), "no-such-badge", None)


async def test_a_refused_token_means_signing_in_again(w: World) -> None:
    coaching, issuer, http = clients(w)
    async with http:
        with pytest.raises(SignInNeeded):
            await coaching.ladder("not-a-token")
        with pytest.raises(SignInNeeded):
            await issuer.my_credentials("not-a-token")


async def test_a_service_that_does_not_answer_is_down() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(_refuse_connection)) as http:
        with pytest.raises(ServiceDown) as down:
            await CoachingClient(ServiceHttp("coaching", "http://127.0.0.1:9", http)).ladder("t")
    assert down.value.service == "coaching"


def _refuse_connection(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_my_credentials_are_read_with_their_status(w: World) -> None:
    await w.issuer.publish_eligible(eligible("alice"))
    await w.issuer.settled()
    _, issuer, http = clients(w)
    async with http:
        badges = await issuer.my_credentials(token(w))
    assert len(badges) == 1
    badge = badges[0]
    assert badge.badge_id == "abroad-rookie" and badge.status == "valid"
    assert badge.public_url.startswith(ISSUER_API + "/v1/credentials/")
    assert badge.image_png == badge.public_url + "/image.png"
    assert badge.credential_id.startswith("urn:uuid:") and badge.issuer_name


async def test_the_framework_is_read_in_the_language_of_the_page_being_made(w: World) -> None:
    """The page's language (set per request by the portal) goes to coaching as Accept-Language; none: English."""
    coaching, _, http = clients(w)
    async with http:
        english = await coaching.framework("omnia", token(w))
        reset = CALLER_LANGUAGE.set("fi")
        try:
            finnish = await coaching.framework("omnia", token(w))
            questionnaire = await coaching.questionnaire(token(w), "abroad")
        finally:
            CALLER_LANGUAGE.reset(reset)
    titles = {badge.id: badge.title for badge in english.badges}
    assert titles["abroad-rookie"] == "Internationalisation Abroad - Rookie"
    assert {badge.id: badge.title for badge in finnish.badges}[
        "abroad-rookie"
    ] == "Kansainvälistyminen ulkomailla – noviisi"
    assert [badge.id for badge in finnish.badges] == list(titles)  # the same badges, in other words
    assert questionnaire.title == "Kansainvälisen osaamisen kartta – ulkomailla"
