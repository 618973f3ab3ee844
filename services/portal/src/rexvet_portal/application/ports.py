"""The ports the portal's use cases call: the services, the OpenID provider, the session store, the clock."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from rexvet_portal.domain.badges import IssuedBadge, WalletOffer
from rexvet_portal.domain.coaching import CoachingQueue, EvidenceRecord
from rexvet_portal.domain.framework import Framework
from rexvet_portal.domain.ladder import Standing
from rexvet_portal.domain.pathway import Enrolment, EvidenceItem, Questionnaire, SelfAssessmentResult
from rexvet_portal.domain.people import Coach
from rexvet_portal.domain.session import PendingSignIn, Session, Tokens

Clock = Callable[[], float]


class CoachingPort(Protocol):
    async def ladder(self, token: str) -> Standing: ...

    async def framework(self, tenant: str, token: str, version: int | None = None) -> Framework: ...

    async def enrol(self, token: str, badge_id: str, coach_id: str | None) -> str:
        """The new enrolment's id."""

    async def enrolment(self, token: str, enrolment_id: str) -> Enrolment: ...

    async def complete_step(self, token: str, enrolment_id: str, step_id: str) -> Enrolment: ...

    async def questionnaire(self, token: str, direction: str) -> Questionnaire: ...

    async def coach_queue(self, token: str, coachee: str | None = None) -> CoachingQueue:
        """The coach's coachees (names, waiting sign-offs) and their steps to sign off, oldest request first;
        with `coachee`, also that coachee's ladder and enrolments (someone the coach does not coach: coaching's 404)."""

    async def sign_off(self, token: str, staff_id: str, enrolment_id: str, step_id: str) -> Enrolment: ...

    async def self_assess(
        self, token: str, direction: str, answers: dict[str, str], framework_version: int
    ) -> SelfAssessmentResult: ...


class EvidencePort(Protocol):
    async def mine(self, token: str) -> list[EvidenceItem]: ...

    async def submit(
        self, token: str, *, title: str, description: str | None, badge_id: str, requirement_id: str
    ) -> EvidenceItem: ...

    async def review_queue(self, token: str, staff_ids: list[str]) -> list[EvidenceRecord]:
        """These people's evidence waiting for a review (a coach's token), the longest waiting first."""

    async def record_with_file_link(self, token: str, evidence_id: str) -> tuple[EvidenceRecord, str | None]:
        """The record and, when it has a file, its time-limited link: one call."""

    async def review(self, token: str, evidence_id: str, decision: str, comment: str | None) -> EvidenceRecord: ...

    async def resubmit(self, token: str, evidence_id: str, description: str | None) -> EvidenceItem: ...

    async def attach_file(
        self, token: str, evidence_id: str, chunks: AsyncIterable[bytes], content_type: str
    ) -> EvidenceItem: ...


class IssuerPort(Protocol):
    async def my_credentials(self, token: str) -> list[IssuedBadge]: ...

    async def wallet_offer(self, token: str, credential_uuid: str, *, with_tx_code: bool) -> WalletOffer: ...


@dataclass(frozen=True)
class ProviderTokens:
    tokens: Tokens
    id_claims: dict[str, Any]


class IdentityProvider(Protocol):
    async def issuer(self) -> str:
        """The provider's issuer identifier (its discovery document's `issuer`)."""

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str: ...

    async def exchange(self, *, code: str, code_verifier: str, nonce: str) -> ProviderTokens:
        """Tokens for the code; the ID token verified (signature, issuer, audience, expiry) and its nonce checked."""

    async def refresh(self, refresh_token: str) -> Tokens:
        """New tokens; `SignInNeeded` when the provider refuses the refresh token."""


class SessionStore(Protocol):
    async def save(self, session: Session) -> None: ...

    async def get(self, session_id: str) -> Session | None: ...

    async def delete(self, session_id: str) -> None: ...

    async def save_pending(self, pending: PendingSignIn) -> None: ...

    async def take_pending(self, state: str) -> PendingSignIn | None:
        """The pending sign-in of this state, removed so that it works once."""


class DirectoryPort(Protocol):
    async def record_profile(self, token: str, *, display_name: str | None, email: str | None) -> None:
        """Record the signed-in person's directory entry (their name and e-mail; the rest is in the token)."""

    async def coaches(self, token: str) -> list[Coach]:
        """The coaches of the person's institution, by name."""
