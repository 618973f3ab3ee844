"""The ports the portal's use cases call: the services, the OpenID provider, the session store, the clock."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from rexvet_portal.domain.badges import IssuedBadge, WalletOffer
from rexvet_portal.domain.coaching import Coachee, EvidenceRecord, PendingSignOff
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

    async def coachees(self, token: str) -> list[Coachee]: ...

    async def pending_sign_offs(self, token: str) -> list[PendingSignOff]: ...

    async def staff_ladder(self, token: str, staff_id: str) -> Standing: ...

    async def staff_enrolments(self, token: str, staff_id: str) -> list[Enrolment]: ...

    async def sign_off(self, token: str, staff_id: str, enrolment_id: str, step_id: str) -> Enrolment: ...

    async def self_assess(
        self, token: str, direction: str, answers: dict[str, str], framework_version: int
    ) -> SelfAssessmentResult: ...


class EvidencePort(Protocol):
    async def mine(self, token: str) -> list[EvidenceItem]: ...

    async def submit(
        self, token: str, *, title: str, description: str | None, badge_id: str, requirement_id: str
    ) -> EvidenceItem: ...

    async def to_review(self, token: str) -> list[EvidenceRecord]: ...

    async def record(self, token: str, evidence_id: str) -> EvidenceRecord: ...

    async def file_url(self, token: str, evidence_id: str) -> str: ...

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
