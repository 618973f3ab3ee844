"""The framework catalogue: public reads (the Open Badges view included), publishing and institutions' extensions."""

from __future__ import annotations

from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Body, Query, Response

from rexvet_coaching.api.deps import Catalogue, ConsortiumAdmin, InstitutionAdmin
from rexvet_coaching.api.read_model_route import ReadModelRoute
from rexvet_coaching.api.wording import Wording, Words
from rexvet_coaching.application.catalogue import FrameworkCatalogue
from rexvet_coaching.application.read_models import (
    AchievementOut,
    BadgeSummaryOut,
    FrameworkOut,
    FrameworkVersionOut,
    QuestionnaireOut,
)
from rexvet_coaching.domain.errors import UnknownDirection
from rexvet_coaching.domain.framework import Framework

router = APIRouter(prefix="/v1", tags=["framework"], route_class=ReadModelRoute)


class SvgResponse(Response):
    media_type = "image/svg+xml"


SVG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "An SVG image"}
}

Version = Annotated[int | None, Query(ge=1, description="A published framework version; the latest when absent")]


def framework_view(
    catalogue: FrameworkCatalogue, framework: Framework, tenant: str | None = None, words: Wording | None = None
) -> FrameworkOut:
    """The framework in the caller's words; each badge's Achievement (its identity) from the English framework."""
    return catalogue.framework_view(framework, tenant, shown=words.framework(framework) if words is not None else None)


def achievement_of(
    catalogue: FrameworkCatalogue, framework: Framework, badge_id: str, tenant: str | None = None
) -> AchievementOut:
    return AchievementOut.model_validate(catalogue.achievement(framework, catalogue.badge(framework, badge_id), tenant))


def badge_image(catalogue: FrameworkCatalogue, framework: Framework, badge_id: str) -> SvgResponse:
    badge = catalogue.badge(framework, badge_id)
    level = framework.level(badge.level)
    direction = framework.direction(badge.direction)
    return SvgResponse(
        badge_svg(
            badge.title, direction.name if direction else "", level.name if level else "", level.rank if level else 1
        )
    )


@router.get("/framework", summary="The framework catalogue: directions, levels, competence areas, badges, modules")
async def get_framework(catalogue: Catalogue, words: Words, version: Version = None) -> FrameworkOut:
    return framework_view(catalogue, await catalogue.get(version), words=words)


@router.get("/framework/badges", summary="Every badge with its OB 3.0 Achievement")
async def list_badges(catalogue: Catalogue, version: Version = None) -> list[BadgeSummaryOut]:
    return catalogue.badge_summaries(await catalogue.get(version))


@router.get("/framework/versions", summary="The published framework versions")
async def list_versions(catalogue: Catalogue) -> list[FrameworkVersionOut]:
    return await catalogue.versions()


@router.post("/framework/versions", status_code=201, summary="Publish a new framework version (consortium admin)")
async def publish_version(
    principal: ConsortiumAdmin,
    catalogue: Catalogue,
    response: Response,
    document: Annotated[dict[str, Any], Body(description="A whole framework document, as in the shipped file")],
) -> FrameworkOut:
    framework = await catalogue.publish(document, published_by=f"{principal.tenant}/{principal.sub}")
    response.headers["Location"] = f"/v1/framework/versions/{framework.version}"
    return framework_view(catalogue, framework)


@router.get("/framework/versions/{version}", summary="One published framework version")
async def get_version(version: int, catalogue: Catalogue, words: Words) -> FrameworkOut:
    return framework_view(catalogue, await catalogue.get(version), words=words)


@router.get("/framework/versions/{version}/badges/{badge_id}", summary="A badge's OB 3.0 Achievement")
async def get_achievement(version: int, badge_id: str, catalogue: Catalogue) -> AchievementOut:
    return achievement_of(catalogue, await catalogue.get(version), badge_id)


@router.get(
    "/framework/versions/{version}/badges/{badge_id}/image.svg",
    summary="The badge's image",
    response_class=SvgResponse,
    responses=SVG,
)
async def get_badge_image(version: int, badge_id: str, catalogue: Catalogue) -> Response:
    return badge_image(catalogue, await catalogue.get(version), badge_id)


def badge_svg(title: str, direction: str, level: str, rank: int) -> str:
    colours = {1: "#3b7dd8", 2: "#2e9e6b", 3: "#c8902a"}
    fill = colours.get(rank, "#6b6b6b")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img">'
        f"<title>{escape(title)}</title>"
        f'<circle cx="128" cy="128" r="120" fill="{fill}"/>'
        '<text x="128" y="110" font-family="sans-serif" font-size="22" fill="#fff" text-anchor="middle">'
        f"{escape(direction)}</text>"
        '<text x="128" y="150" font-family="sans-serif" font-size="30" font-weight="bold" fill="#fff" '
        f'text-anchor="middle">{escape(level)}</text></svg>'
    )


@router.get("/framework/self-assessment/{direction}", summary="The self-assessment questionnaire of a direction")
async def get_questionnaire(
    direction: str, catalogue: Catalogue, words: Words, version: Version = None
) -> QuestionnaireOut:
    framework = await catalogue.get(version)
    questionnaire = framework.questionnaire(direction)
    if questionnaire is None:
        raise UnknownDirection(f"there is no self-assessment for direction {direction!r}")
    shown = words.questionnaire(questionnaire, framework.version)
    return QuestionnaireOut.model_validate({"framework_version": framework.version, **shown.model_dump(mode="json")})


@router.put(
    "/framework/extension",
    summary="Set your institution's own badges, and its own modules for consortium badges, on a base version",
    description=(
        "Institution admin. `{base_version, badges: [...], modules: {badge_id: module}}`: `badges` are the"
        " institution's own badges; `modules` replaces the coaching module of consortium badges for the institution's"
        " staff who enrol afterwards (the badge's id, level, direction, prerequisites and Achievement id stay the"
        " consortium's). The document replaces the institution's previous extension of that base version."
    ),
)
async def put_extension(
    principal: InstitutionAdmin,
    catalogue: Catalogue,
    document: Annotated[dict[str, Any], Body(description="{base_version, badges: [...], modules: {badge_id: module}}")],
) -> FrameworkOut:
    framework = await catalogue.set_extension(principal.tenant, document, updated_by=principal.sub)
    return framework_view(catalogue, framework, principal.tenant)


@router.get("/institutions/{tenant}/framework", summary="An institution's framework: the base plus its own badges")
async def get_institution_framework(
    tenant: str, catalogue: Catalogue, words: Words, version: Version = None
) -> FrameworkOut:
    return framework_view(catalogue, await catalogue.for_tenant(tenant, version), tenant, words)


@router.get("/institutions/{tenant}/framework/badges", summary="An institution's badges with their Achievements")
async def list_institution_badges(tenant: str, catalogue: Catalogue, version: Version = None) -> list[BadgeSummaryOut]:
    return catalogue.badge_summaries(await catalogue.for_tenant(tenant, version), tenant)


@router.get("/institutions/{tenant}/framework/versions/{version}/badges/{badge_id}", summary="An institution's badge")
async def get_institution_achievement(tenant: str, version: int, badge_id: str, catalogue: Catalogue) -> AchievementOut:
    return achievement_of(catalogue, await catalogue.for_tenant(tenant, version), badge_id, tenant)


@router.get(
    "/institutions/{tenant}/framework/versions/{version}/badges/{badge_id}/image.svg",
    summary="An institution's badge image",
    response_class=SvgResponse,
    responses=SVG,
)
async def get_institution_badge_image(tenant: str, version: int, badge_id: str, catalogue: Catalogue) -> Response:
    return badge_image(catalogue, await catalogue.for_tenant(tenant, version), badge_id)
