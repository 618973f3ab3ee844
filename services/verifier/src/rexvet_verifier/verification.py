"""The verifier's use case: verify presented bytes with the service's ports and describe the report for callers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rexvet_credentials.baking.presented import verify_presented
from rexvet_credentials.ports import Clock, KeyResolver, StatusChecker, TrustedIssuerRegistry
from rexvet_credentials.report import VerificationReport
from rexvet_credentials.verification_cache import VerificationCache


@dataclass
class CredentialVerifier:
    """One per process: its caches (prepared credentials, key documents, status lists) serve every request."""

    clock: Clock
    key_resolver: KeyResolver
    status_checker: StatusChecker
    trusted_issuers: TrustedIssuerRegistry
    cache: VerificationCache

    async def verify(self, presented: bytes) -> VerificationReport:
        """Never raises for a bad credential: every outcome is in the report."""
        return await verify_presented(
            presented,
            clock=self.clock,
            key_resolver=self.key_resolver,
            status_checker=self.status_checker,
            trusted_issuers=self.trusted_issuers,
            cache=self.cache,
        )


def warnings_of(report: VerificationReport) -> list[dict[str, str]]:
    """What a caller should know although it does not decide the outcome: an unregistered issuer, undefined terms."""
    found = [{"check": c.id, "code": c.code, "message": c.message} for c in report.warnings]
    if report.undefined_terms:
        found.append(
            {
                "check": "contexts",
                "code": "undefined_terms",
                "message": "the credential declares terms that no context defines (undefined-terms/v2): "
                + ", ".join(report.undefined_terms),
            }
        )
    return found


def report_body(report: VerificationReport) -> dict[str, Any]:
    """The full report as JSON: outcome, every check (id, outcome, code, message, severity), warnings."""
    return {**report.to_dict(), "verified": report.verified, "warnings": warnings_of(report)}
