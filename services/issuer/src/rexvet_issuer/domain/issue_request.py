"""A credential handed in to be signed (W3C VC-API `issueCredential`), made ready for the institution's key.

The caller writes the claims; the issuer decides who issues and what the status is. So: the issuer is the
institution's own Profile (filled in when absent or given as the Profile's id, refused when it names someone
else); the credential must carry no proof and no `credentialStatus` (an entry is allocated only when the options
ask for one, from the institution's own lists, so a caller cannot point a credential at another credential's
status bit); `id` and `validFrom`, which OB 3.0 requires, are filled in when absent. What is left to judge (the
OB 3.0 shape) is parse_credential's, and the JSON-LD (known contexts, defined terms) is the signer's.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rexvet_issuer.domain.credential import iso_seconds
from rexvet_issuer.domain.profile import VC2_CONTEXT


class InvalidIssueRequest(ValueError):
    """The credential cannot be signed as given; the message says what to change."""


def prepare_for_signing(credential: Mapping[str, Any], issuer_profile: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A copy of `credential` with the institution as issuer and `id` / `validFrom` filled in if absent."""
    if "proof" in credential:
        raise InvalidIssueRequest("the credential already has a proof: send it unsigned")
    if "credentialStatus" in credential:
        raise InvalidIssueRequest(
            "rexvet allocates status entries from the institution's own lists: remove credentialStatus and ask for "
            'one with options.credentialStatus = {"type": "BitstringStatusListEntry"}'
        )
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC2_CONTEXT:
        raise InvalidIssueRequest(f"@context must be a list whose first item is {VC2_CONTEXT}")
    prepared = dict(credential)
    prepared["issuer"] = _issuer(credential.get("issuer"), issuer_profile)
    if prepared.get("id") is None:
        prepared["id"] = f"urn:uuid:{uuid.uuid4()}"
    if prepared.get("validFrom") is None:
        prepared["validFrom"] = iso_seconds(now)
    return prepared


def _issuer(given: Any, profile: dict[str, Any]) -> Any:
    own_id = profile["id"]
    if given is None:
        return profile
    if isinstance(given, str):
        if given != own_id:
            raise InvalidIssueRequest(f"issuer must be your institution's issuer Profile {own_id}, not {given!r}")
        return profile  # OB 3.0 wants the issuer as a Profile object, not a bare id
    if isinstance(given, dict):
        if given.get("id") is None:
            return {**given, "id": own_id}
        if given["id"] != own_id:
            raise InvalidIssueRequest(
                f"issuer.id must be your institution's issuer Profile {own_id}, not {given['id']!r}"
            )
        return given
    raise InvalidIssueRequest("issuer must be your institution's Profile (an object) or its id (a string)")
