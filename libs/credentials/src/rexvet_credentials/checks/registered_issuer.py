"""The `registered_issuer` check: is the issuer a registered consortium member? A warning, never a failure."""

from __future__ import annotations

from collections.abc import Awaitable

from rexvet_credentials.checks.registry import CheckInput, VerificationCheck
from rexvet_credentials.ports import TrustedIssuerRegistry
from rexvet_credentials.report import Check, CheckOutcome, Severity, failed, not_checked, passed

REGISTERED_ISSUER = "registered_issuer"
# already a warning, so the registry does not re-wrap it on every verification without a registry
_NO_REGISTRY = Check(
    REGISTERED_ISSUER, CheckOutcome.NOT_CHECKED, "no_registry", "no trusted-issuer registry was given", Severity.WARNING
)


async def check_registered_issuer(issuer_id: str | None, registry: TrustedIssuerRegistry | None) -> Check:
    if registry is None:
        return not_checked(REGISTERED_ISSUER, "no_registry", "no trusted-issuer registry was given")
    if issuer_id is None:
        return failed(REGISTERED_ISSUER, "issuer_missing", "the credential has no issuer id")
    entry = await registry.lookup(issuer_id)
    if entry is None:
        return failed(
            REGISTERED_ISSUER,
            "issuer_not_registered",
            f"{issuer_id} is not a registered consortium member (the signature may still be valid)",
            params={"issuer": issuer_id},
        )
    name = f" ({entry.name})" if entry.name else ""
    params = {"issuer": issuer_id, "name": entry.name} if entry.name else {"issuer": issuer_id}
    return passed(REGISTERED_ISSUER, "issuer_registered", f"{issuer_id}{name} is a registered member", params=params)


def _run(subject: CheckInput) -> Check | Awaitable[Check]:
    if subject.trusted_issuers is None:
        return _NO_REGISTRY
    return check_registered_issuer(subject.issuer_id, subject.trusted_issuers)


REGISTERED_ISSUER_CHECK = VerificationCheck(
    id=REGISTERED_ISSUER,
    title="Issuer registered with the consortium",
    failure="the issuer is not a registered consortium member: a warning only, the signature may still be valid",
    run=_run,
    severity=Severity.WARNING,
)
