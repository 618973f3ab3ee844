"""A credential handed in to be signed (W3C VC-API `issueCredential`), made ready for the institution's key.

Any VCDM 2.0 credential (and a VCDM 1.1 one, for the VC-API clients that still send them) is signed; an Open Badges
credential (type OpenBadgeCredential / AchievementCredential) is also held to the OB 3.0 rules by the endpoint.
The caller writes the claims; the issuer decides who issues: the issuer is the institution's own identity (its
did:web; filled in when absent, refused when it names someone else), given as the OB Profile for a badge. The
credential must carry no proof. A caller's own `credentialStatus` entry is kept as given, except one that points at
this institution's own status lists: those indexes are allocated by the issuer only (`options.credentialStatus`),
so a caller cannot point a credential at another credential's status bit. `id` and `validFrom`, which OB 3.0
requires, are filled in for a badge when absent (and `issuanceDate`, which VCDM 1.1 requires, for a 1.1
credential). What is left to judge is the data model's (rexvet_credentials.models.vcdm), OB 3.0's
(parse_credential) and the JSON-LD's (known contexts, defined terms: the signer's).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rexvet_credentials.models.vcdm import data_model_version
from rexvet_issuer.domain.credential import iso_seconds
from rexvet_issuer.domain.profile import VC2_CONTEXT

OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
# VCDM 1.1's context defines no DataIntegrityProof: a 1.1 credential is signed with this one added (as Digital
# Bazaar's and the other VC-API issuers do).
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"


class InvalidIssueRequest(ValueError):
    """The credential cannot be signed as given; the message says what to change."""


def is_open_badge(credential: Mapping[str, Any]) -> bool:
    types = credential.get("type")
    return any(isinstance(t, str) and t in OB_TYPES for t in (types if isinstance(types, list) else [types]))


def prepare_for_signing(
    credential: Mapping[str, Any], issuer_profile: dict[str, Any], now: datetime, *, own_lists: str
) -> dict[str, Any]:
    """A copy of `credential` with the institution as issuer and what the model requires filled in if absent.

    `own_lists` is the URL prefix of the institution's status lists (a caller's entry may not point there).
    """
    if "proof" in credential:
        raise InvalidIssueRequest("the credential already has a proof: send it unsigned")
    _check_caller_status(credential.get("credentialStatus"), own_lists)
    version = data_model_version(credential)
    if version is None:
        raise InvalidIssueRequest(f"@context must be a list whose first item is {VC2_CONTEXT}")
    prepared = dict(credential)
    if is_open_badge(credential):
        prepared["issuer"] = _badge_issuer(credential.get("issuer", None), issuer_profile)
        if "id" not in credential:
            prepared["id"] = f"urn:uuid:{uuid.uuid4()}"
        if "validFrom" not in prepared:
            prepared["validFrom"] = iso_seconds(now)
    else:
        prepared["issuer"] = _issuer(credential, issuer_profile["id"])
    if version == "1.1":
        contexts = list(prepared["@context"])
        if DATA_INTEGRITY_CONTEXT not in contexts:
            prepared["@context"] = [*contexts, DATA_INTEGRITY_CONTEXT]
        prepared.setdefault("issuanceDate", iso_seconds(now))
    return prepared


def _check_caller_status(status: Any, own_lists: str) -> None:
    for entry in status if isinstance(status, list) else [status]:
        if isinstance(entry, Mapping) and any(
            isinstance(entry.get(name), str) and str(entry[name]).startswith(own_lists)
            for name in ("id", "statusListCredential")
        ):
            raise InvalidIssueRequest(
                "credentialStatus points at your institution's own status lists, whose indexes rexvet allocates: "
                'remove it and ask for one with options.credentialStatus = {"type": "BitstringStatusListEntry"}'
            )


def _issuer(credential: Mapping[str, Any], own_id: str) -> Any:
    """A plain credential's issuer as the caller wrote it (a URL or an object), once it is the institution."""
    if "issuer" not in credential:
        return own_id
    given = credential["issuer"]
    named = given.get("id", own_id) if isinstance(given, Mapping) else given
    if named is None or (isinstance(given, Mapping) and "id" in given and given["id"] is None):
        return given  # left for the data model's check, which names the property
    if named != own_id:
        where = "issuer.id" if isinstance(given, Mapping) else "issuer"
        raise InvalidIssueRequest(f"{where} must be your institution's issuer {own_id}, not {named!r}")
    return {**given, "id": own_id} if isinstance(given, Mapping) else given


def _badge_issuer(given: Any, profile: dict[str, Any]) -> Any:
    own_id = profile["id"]
    if given is None:
        return profile
    if isinstance(given, str):
        if given != own_id:
            raise InvalidIssueRequest(f"issuer must be your institution's issuer Profile {own_id}, not {given!r}")
        return profile  # OB 3.0 wants the issuer as a Profile object, not a bare id
    if isinstance(given, dict):
        if "id" not in given:
            return {**given, "id": own_id}
        if given["id"] != own_id:
            raise InvalidIssueRequest(
                f"issuer.id must be your institution's issuer Profile {own_id}, not {given['id']!r}"
            )
        return given
    raise InvalidIssueRequest("issuer must be your institution's Profile (an object) or its id (a string)")
