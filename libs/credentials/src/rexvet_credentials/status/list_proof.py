"""The list credential's own proof, checked by the core's `verify_credential`.

Only the checks that say whether the list is authentic decide: contexts, proof and key binding. The OB 3.0
structure check does not apply (a status list is not an OpenBadgeCredential) and the list's validity period is
checked by the status checker itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rexvet_credentials.ports import Clock, KeyResolver
from rexvet_credentials.report import CheckOutcome
from rexvet_credentials.status.checker import ListProofVerdict, ListProofVerifier
from rexvet_credentials.verify import verify_credential

AUTHENTICITY_CHECKS = ("parse", "contexts", "proof", "key_binding")


def core_list_verifier(clock: Clock, key_resolver: KeyResolver) -> ListProofVerifier:
    async def verify_list(document: Mapping[str, Any]) -> ListProofVerdict:
        report = await verify_credential(document, clock=clock, key_resolver=key_resolver)
        deciding = [report.check(check_id) for check_id in AUTHENTICITY_CHECKS]
        failures = [c for c in deciding if c.outcome is CheckOutcome.FAILED]
        if failures:
            return ListProofVerdict(False, "; ".join(f"{c.code}: {c.message}" for c in failures))
        unchecked = [c for c in deciding if c.outcome is CheckOutcome.NOT_CHECKED]
        if unchecked:
            return ListProofVerdict(False, "; ".join(c.message for c in unchecked), definite=False)
        return ListProofVerdict(True)

    return verify_list
