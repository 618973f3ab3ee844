"""OpenBadgeCredential / AchievementCredential and its subject, results, evidence and status entries."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from rexvet_credentials.models.achievement import Achievement, Image
from rexvet_credentials.models.base import Many, SpecModel
from rexvet_credentials.models.identity import IdentityObject
from rexvet_credentials.models.profile import Profile

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
OB_CREDENTIAL_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


class Result(SpecModel):
    required_type = "Result"
    type: Many[str] = Field(default_factory=lambda: ["Result"])
    resultDescription: str | None = None
    achievedLevel: str | None = None
    value: str | None = None
    status: str | None = None


class AchievementSubject(SpecModel):
    required_type = "AchievementSubject"
    id: str | None = None
    type: Many[str] = Field(default_factory=lambda: ["AchievementSubject"])
    achievement: Achievement
    identifier: Many[IdentityObject] | None = None
    result: Many[Result] | None = None
    activityStartDate: str | None = None
    activityEndDate: str | None = None
    creditsEarned: float | None = None
    role: str | None = None
    term: str | None = None

    @model_validator(mode="after")
    def _id_or_identifier(self) -> AchievementSubject:
        if self.id is None and not self.identifier:
            raise ValueError("an AchievementSubject needs an `id` or at least one `identifier`")
        return self


class Evidence(SpecModel):
    required_type = "Evidence"
    id: str | None = None
    type: Many[str] = Field(default_factory=lambda: ["Evidence"])
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


class CredentialStatus(SpecModel):
    """A status entry: BitstringStatusListEntry (statusPurpose, statusListIndex, statusListCredential) or
    the deprecated 1EdTechRevocationList (id of the list only)."""

    id: str | None = None
    type: str
    statusPurpose: str | None = None
    statusListIndex: str | None = None
    statusListCredential: str | None = None


class CredentialSchema(SpecModel):
    id: str
    type: str


def _default_contexts() -> list[str | dict[str, Any]]:
    return [VC_V2_CONTEXT, OB_CONTEXT]


class OpenBadgeCredential(SpecModel):
    context: Many[str | dict[str, Any]] = Field(default_factory=_default_contexts, alias="@context")
    id: str
    type: Many[str] = Field(default_factory=lambda: ["VerifiableCredential", "OpenBadgeCredential"])
    issuer: Profile
    validFrom: str
    validUntil: str | None = None
    name: str | None = None
    description: str | None = None
    image: Image | None = None
    credentialSubject: AchievementSubject
    evidence: Many[Evidence] | None = None
    credentialStatus: CredentialStatus | None = None
    credentialSchema: Many[CredentialSchema] | None = None
    proof: Many[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _types(self) -> OpenBadgeCredential:
        if "VerifiableCredential" not in self.type:
            raise ValueError("`type` must include VerifiableCredential")
        if not OB_CREDENTIAL_TYPES.intersection(self.type):
            raise ValueError("`type` must include OpenBadgeCredential (or AchievementCredential)")
        return self


AchievementCredential = OpenBadgeCredential
