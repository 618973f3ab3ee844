"""The list-proof verifier the status checkers need: a status list credential's own proof, checked by the core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rexvet_credentials.checks import VERIFICATION_CHECKS, CheckRegistry
from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.ports import Clock, KeyResolver
from rexvet_credentials.report import CheckOutcome
from rexvet_credentials.status.checker import ListProofVerdict
from rexvet_credentials.verify import verify_credential


def list_proof_verifier(
    key_resolver: KeyResolver,
    clock: Clock,
    loader: DocumentLoader = DEFAULT_LOADER,
    checks: CheckRegistry = VERIFICATION_CHECKS,
) -> Callable[[Mapping[str, Any]], Awaitable[ListProofVerdict]]:
    # the checks whose registry entry says a failure makes a list unusable (not its own status, not the registry)
    decisive = checks.data_integrity.list_proof_ids

    async def verify_list(list_credential: Mapping[str, Any]) -> ListProofVerdict:
        report = await verify_credential(
            list_credential, clock=clock, key_resolver=key_resolver, loader=loader, open_badges=False, checks=checks
        )
        checks_found = [report.check(c) for c in decisive]
        for check in checks_found:
            if check.outcome is CheckOutcome.FAILED:
                return ListProofVerdict(False, f"{check.code}: {check.message}", definite=True)
        for check in checks_found:
            if check.outcome is CheckOutcome.NOT_CHECKED:
                return ListProofVerdict(False, f"{check.code}: {check.message}", definite=False)
        return ListProofVerdict(True)

    return verify_list
