"""The structure a verifier accepts: every credential the 1EdTech validator accepts, with what it only warns
about left to warning checks (checks/conventions.py) instead of failing here.

The issuer's models (credential.py, parse_credential) stay strict: what rexvet signs has an issuer name, a
validFrom and one status entry. What it reads may come from any OB 3.0 issuer since the first context:
- an issuer Profile without `name` (warned: `issuer_name`);
- no `validFrom` (the first OB 3.0 context; VC 1.1's `issuanceDate`; warned: `valid_from`);
- `statusListIndex` as a JSON number (warned by the `status_entries` check) and several status entries (VCDM
  2.0 allows a list; OB 3.0 one);
- an `EndorsementCredential`, whose subject is an `EndorsementSubject`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError, model_validator

from rexvet_credentials.models.achievement import Image
from rexvet_credentials.models.base import Many, SpecModel
from rexvet_credentials.models.credential import OB_CREDENTIAL_TYPES, AchievementSubject, CredentialSchema, Evidence
from rexvet_credentials.models.parse import StructureProblem, located_problems

ENDORSEMENT_CREDENTIAL = "EndorsementCredential"


class ReadProfile(SpecModel):
    required_type = "Profile"
    id: str
    type: Many[str]
    name: str | None = None


class ReadStatusEntry(SpecModel):
    id: str | None = None
    type: Many[str]
    statusPurpose: str | None = None
    statusListIndex: str | int | None = None
    statusListCredential: str | None = None


class EndorsementSubject(SpecModel):
    required_type = "EndorsementSubject"
    id: str
    type: Many[str]
    endorsementComment: str | None = None


class _ReadCredential(SpecModel):
    context: Many[str | dict[str, Any]] = Field(alias="@context")
    id: str
    type: Many[str]
    issuer: ReadProfile
    validFrom: str | None = None
    validUntil: str | None = None
    name: str | None = None
    description: str | None = None
    image: Image | None = None
    evidence: Many[Evidence] | None = None
    credentialStatus: Many[ReadStatusEntry] | None = None
    credentialSchema: Many[CredentialSchema] | None = None


class ReadAchievementCredential(_ReadCredential):
    credentialSubject: AchievementSubject

    @model_validator(mode="after")
    def _types(self) -> ReadAchievementCredential:
        if "VerifiableCredential" not in self.type:
            raise ValueError("`type` must include VerifiableCredential")
        if not OB_CREDENTIAL_TYPES.intersection(self.type):
            raise ValueError("`type` must include OpenBadgeCredential, AchievementCredential or EndorsementCredential")
        return self


class ReadEndorsementCredential(_ReadCredential):
    credentialSubject: EndorsementSubject

    @model_validator(mode="after")
    def _types(self) -> ReadEndorsementCredential:
        if "VerifiableCredential" not in self.type:
            raise ValueError("`type` must include VerifiableCredential")
        return self


def read_credential_structure(data: dict[str, Any]) -> tuple[str, list[StructureProblem]]:
    """(what the credential is, its structure problems: none when it is acceptable)."""
    types = data.get("type")
    endorsement = ENDORSEMENT_CREDENTIAL in (types if isinstance(types, list) else [types])
    model = ReadEndorsementCredential if endorsement else ReadAchievementCredential
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return ENDORSEMENT_CREDENTIAL if endorsement else "credential", located_problems(exc)
    return (ENDORSEMENT_CREDENTIAL if endorsement else "credential"), []
