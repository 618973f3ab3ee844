"""The pages' use cases: each gathers what one page shows, with the signed-in person's token.

They decide nothing about who may see what: the services do, and their refusals arrive here as the errors of
`application/errors.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rexvet_portal.application.errors import NotAllowed, NotFoundThere, ServiceDown
from rexvet_portal.application.ports import CoachingPort, DirectoryPort, IssuerPort
from rexvet_portal.domain.badges import IssuedBadge, WalletOffer, linkedin_add_to_profile_url, verify_url
from rexvet_portal.domain.framework import Badge, Framework
from rexvet_portal.domain.ladder import LadderPicture, Rung, RungState, ladder_picture
from rexvet_portal.domain.people import Coach
from rexvet_portal.domain.session import Session


@dataclass(frozen=True)
class LadderView:
    picture: LadderPicture


class LadderPage:
    def __init__(self, coaching: CoachingPort) -> None:
        self.coaching = coaching

    async def run(self, session: Session) -> LadderView:
        token = session.tokens.access_token
        standing = await self.coaching.ladder(token)
        framework = await self.coaching.framework(session.person.tenant, token, standing.framework_version)
        return LadderView(picture=ladder_picture(standing, framework))


@dataclass(frozen=True)
class BadgeView:
    badge: Badge
    framework: Framework
    rung: Rung | None  # where the person stands on this badge's rung
    prerequisites: list[str]  # "Abroad Rookie", in the framework's names
    coaches: list[Coach] = field(default_factory=list)  # to choose from when enrolling; empty: type an id
    pathway_id: str | None = None  # the person's enrolment in this badge while it is in progress

    @property
    def can_enrol(self) -> bool:
        return self.rung is not None and self.rung.state is RungState.NEXT


class BadgePage:
    def __init__(self, coaching: CoachingPort, directory: DirectoryPort | None = None) -> None:
        self.coaching = coaching
        self.directory = directory

    async def run(self, session: Session, badge_id: str) -> BadgeView | None:
        token = session.tokens.access_token
        standing = await self.coaching.ladder(token)
        framework = await self.coaching.framework(session.person.tenant, token, standing.framework_version)
        badge = framework.badge(badge_id)
        if badge is None:
            return None
        picture = ladder_picture(standing, framework)
        rung = next(
            (r for d in picture.directions for r in d.rungs if r.badge_id == badge.id),
            None,
        )
        prerequisites = []
        for prerequisite in badge.prerequisites:
            direction = framework.direction(prerequisite.direction)
            level = framework.level(prerequisite.level)
            prerequisites.append(
                f"{direction.name if direction else prerequisite.direction} "
                f"{level.name if level else prerequisite.level}"
            )
        pathway_id = next(
            (
                d.pathway.enrolment_id
                for d in standing.directions
                if d.pathway is not None and d.pathway.badge_id == badge.id
            ),
            None,
        )
        view = BadgeView(
            badge=badge, framework=framework, rung=rung, prerequisites=prerequisites, pathway_id=pathway_id
        )
        if view.can_enrol and self.directory is not None:
            view.coaches.extend(await self.directory.coaches(token))
        return view


class Enrol:
    def __init__(self, coaching: CoachingPort) -> None:
        self.coaching = coaching

    async def run(self, session: Session, badge_id: str, coach_id: str | None) -> str:
        return await self.coaching.enrol(session.tokens.access_token, badge_id, coach_id or None)


@dataclass(frozen=True)
class BadgeCard:
    badge: IssuedBadge
    linkedin_url: str
    verify_url: str
    # the badge's title as the framework words it in the page's language; the credential's own name (English, as
    # issued) when the framework has no such badge or could not be asked
    title: str = ""

    @property
    def shown_title(self) -> str:
        return self.title or self.badge.name

    @property
    def credential_name_differs(self) -> bool:
        return self.shown_title != self.badge.name


class MyBadgesPage:
    """The person's badges from the issuer, titled from the framework in the page's language (coaching answers its
    texts in the caller's language); the credential itself, and so the LinkedIn link, keeps the name it was issued
    with."""

    def __init__(self, issuer: IssuerPort, verifier_url: str, coaching: CoachingPort | None = None) -> None:
        self.issuer = issuer
        self.verifier_url = verifier_url
        self.coaching = coaching

    async def run(self, session: Session) -> list[BadgeCard]:
        token = session.tokens.access_token
        badges = await self.issuer.my_credentials(token)
        titles = await self._titles(session) if badges else {}
        return [
            BadgeCard(
                badge=badge,
                linkedin_url=linkedin_add_to_profile_url(badge),
                verify_url=verify_url(self.verifier_url, badge),
                title=titles.get(badge.badge_id, ""),
            )
            for badge in badges
        ]

    async def _titles(self, session: Session) -> dict[str, str]:
        if self.coaching is None:
            return {}
        try:
            framework = await self.coaching.framework(session.person.tenant, session.tokens.access_token)
        except (NotAllowed, NotFoundThere, ServiceDown):
            # the badges are the issuer's: a person whose role coaching refuses, or coaching being down, still
            # sees them, by the names they were issued with
            return {}
        return {badge.id: badge.title for badge in framework.badges}


@dataclass(frozen=True)
class WalletOfferView:
    badge: IssuedBadge
    offer: WalletOffer


class OfferToWallet:
    """A badge of the signed-in person offered to their wallet; the issuer checks the badge is theirs and valid."""

    def __init__(self, issuer: IssuerPort) -> None:
        self.issuer = issuer

    async def run(self, session: Session, credential_uuid: str, *, with_tx_code: bool) -> WalletOfferView | None:
        token = session.tokens.access_token
        badge = next(
            (b for b in await self.issuer.my_credentials(token) if b.credential_id == f"urn:uuid:{credential_uuid}"),
            None,
        )
        if badge is None:
            return None
        return WalletOfferView(badge, await self.issuer.wallet_offer(token, credential_uuid, with_tx_code=with_tx_code))
