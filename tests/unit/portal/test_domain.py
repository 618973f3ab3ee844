"""The portal's view models: the ladder picture and the LinkedIn link, pure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rexvet_portal.domain.badges import IssuedBadge, linkedin_add_to_profile_url, verify_url
from rexvet_portal.domain.framework import Badge, CoachingModule, CoachingStep, Direction, Framework, Level
from rexvet_portal.domain.ladder import DirectionStanding, NextStepData, Pathway, RungState, Standing, ladder_picture

pytestmark = pytest.mark.unit

MODULE = CoachingModule("d", (), (), (), (), (CoachingStep("plan", "Plan your mobility", "", "self", True),), ())
LEVELS = (Level("rookie", "Rookie", 1), Level("advanced", "Advanced", 2), Level("expert", "Expert", 3))
FRAMEWORK = Framework(
    version=1,
    title="REX VET",
    directions=(Direction("abroad", "Abroad"),),
    levels=LEVELS,
    badges=tuple(Badge(f"abroad-{lv.id}", "abroad", lv.id, f"Abroad {lv.name}", "", MODULE) for lv in LEVELS),
)


def picture(held: tuple[str, ...], pathway: Pathway | None, step: NextStepData) -> list[RungState]:
    standing = Standing("omnia", "alice", 1, (DirectionStanding("abroad", held, pathway, step),))
    return [rung.state for rung in ladder_picture(standing, FRAMEWORK).directions[0].rungs]


def test_nothing_held_the_first_rung_is_next() -> None:
    states = picture((), None, NextStepData("enrol", badge_id="abroad-rookie"))
    assert states == [RungState.NEXT, RungState.LOCKED, RungState.LOCKED]


def test_held_then_in_progress_then_locked() -> None:
    step = NextStepData("complete_step", step_id="plan", enrolment_id="e1")
    states = picture(("rookie",), Pathway("e1", "abroad-advanced", "active"), step)
    assert states == [RungState.HELD, RungState.IN_PROGRESS, RungState.LOCKED]


def test_the_next_step_carries_the_names_the_page_needs() -> None:
    standing = Standing(
        "omnia",
        "alice",
        1,
        (
            DirectionStanding(
                "abroad", (), Pathway("e1", "abroad-rookie", "active"), NextStepData("complete_step", step_id="plan")
            ),
        ),
    )
    step = ladder_picture(standing, FRAMEWORK).directions[0].next_step
    assert (step.badge_title, step.step_title, step.direction_name) == ("Abroad Rookie", "Plan your mobility", "Abroad")


def test_all_held_nothing_next() -> None:
    states = picture(("rookie", "advanced", "expert"), None, NextStepData("top"))
    assert states == [RungState.HELD] * 3


def badge(**overrides: object) -> IssuedBadge:
    values: dict[str, object] = {
        "credential_id": "urn:uuid:1234",
        "badge_id": "abroad-rookie",
        "name": "Internationalisation Abroad - Rookie",
        "issuer_name": "Omnia & Co",
        "issued_at": datetime(2026, 11, 20, tzinfo=UTC),
        "expires_at": None,
        "public_url": "https://issuer.example/v1/credentials/1234",
        "image_png": "https://issuer.example/v1/credentials/1234/image.png",
        "image_svg": "https://issuer.example/v1/credentials/1234/image.svg",
        "revoked": False,
        "suspended": False,
    }
    return IssuedBadge(**(values | overrides))  # type: ignore[arg-type]


def test_the_linkedin_link_has_exactly_the_parameters_and_encodes_every_value() -> None:
    assert linkedin_add_to_profile_url(badge()) == (
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
        "&name=Internationalisation%20Abroad%20-%20Rookie&organizationName=Omnia%20%26%20Co"
        "&issueYear=2026&issueMonth=11"
        "&certUrl=https%3A%2F%2Fissuer.example%2Fv1%2Fcredentials%2F1234&certId=urn%3Auuid%3A1234"
    )


def test_the_linkedin_link_prefers_the_organization_id_and_says_when_it_expires() -> None:
    url = linkedin_add_to_profile_url(badge(organization_id="1337", expires_at=datetime(2029, 3, 1, tzinfo=UTC)))
    assert url == (
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
        "&name=Internationalisation%20Abroad%20-%20Rookie&organizationId=1337"
        "&issueYear=2026&issueMonth=11&expirationYear=2029&expirationMonth=3"
        "&certUrl=https%3A%2F%2Fissuer.example%2Fv1%2Fcredentials%2F1234&certId=urn%3Auuid%3A1234"
    )


def test_the_verify_link_opens_the_public_verifier_on_the_badge() -> None:
    assert verify_url("https://verify.example/", badge()) == (
        "https://verify.example/verify?url=https%3A%2F%2Fissuer.example%2Fv1%2Fcredentials%2F1234"
    )
    assert badge(revoked=True).status == "revoked" and badge(suspended=True).status == "suspended"
