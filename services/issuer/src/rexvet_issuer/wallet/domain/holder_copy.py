"""The holder-bound copy of an issued badge: the decision how a wallet's key binds to it.

A wallet gets a freshly signed credential for the same achievement, with the holder's DID as
`credentialSubject.id` (beside the original's hashed identifier, so the recipient stays the same person), a new
`id` and `validFrom`, issued by the institution's did:web. It carries the original's status entry: the copy is the
same badge, so revoking or suspending the original revokes or suspends every wallet copy in the same write, and
no copy can outlive its badge. A copy cannot be revoked on its own; a lost wallet is answered by revoking the badge
(and, if the staff member still deserves it, the institution reissues through the ladder).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from rexvet_issuer.domain.credential import iso_seconds

KEPT_FROM_ORIGINAL = ("@context", "type", "name", "description", "image", "evidence", "credentialSchema")


def bound_copy(
    original: dict[str, Any],
    *,
    holder_did: str,
    credential_id: str,
    issuer_profile: dict[str, Any],
    status: dict[str, Any] | None,
    now: datetime,
) -> dict[str, Any]:
    """The unsigned copy of `original` (a signed credential) bound to `holder_did`."""
    unsigned = {name: copy.deepcopy(original[name]) for name in KEPT_FROM_ORIGINAL if name in original}
    subject = copy.deepcopy(original["credentialSubject"])
    subject["id"] = holder_did
    unsigned["id"] = credential_id
    unsigned["issuer"] = issuer_profile
    unsigned["validFrom"] = iso_seconds(now)
    if "validUntil" in original:
        unsigned["validUntil"] = original["validUntil"]
    unsigned["credentialSubject"] = subject
    if status is not None:
        unsigned["credentialStatus"] = status
    return unsigned
