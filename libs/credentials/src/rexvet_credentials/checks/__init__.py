"""Verification checks: one module per check, and the production registry, in report order.

Adding a check: write its module (a `VerificationCheck` with a `run` function, see registry.py and the
credentials README) and add it to `VERIFICATION_CHECKS` below where it belongs in the report. The Data Integrity
and VC-JWT verifiers, the status-list proof check and the verifier's pages read this registry.
"""

from rexvet_credentials.checks.conventions import CONTEXT_VERSION_CHECK, ISSUER_NAME_CHECK, VALID_FROM_CHECK
from rexvet_credentials.checks.key_binding import KEY_BINDING_CHECK
from rexvet_credentials.checks.reading import CLAIMS_CHECK, CONTEXTS_CHECK, PARSE_CHECK, PROOF_CHECK, STRUCTURE_CHECK
from rexvet_credentials.checks.registered_issuer import REGISTERED_ISSUER_CHECK, check_registered_issuer
from rexvet_credentials.checks.registry import (
    DATA_INTEGRITY,
    VC_JWT,
    CheckInput,
    CheckPlan,
    CheckRegistry,
    VerificationCheck,
)
from rexvet_credentials.checks.status import STATUS_CHECK, check_status
from rexvet_credentials.checks.status_entries import STATUS_ENTRIES_CHECK
from rexvet_credentials.checks.validity_period import (
    DEFAULT_CLOCK_SKEW,
    VALIDITY_PERIOD_CHECK,
    check_prepared_validity,
    check_validity_period,
    parse_time,
)

VERIFICATION_CHECKS = CheckRegistry(
    (
        PARSE_CHECK,
        CONTEXTS_CHECK,
        STRUCTURE_CHECK,
        CONTEXT_VERSION_CHECK,
        ISSUER_NAME_CHECK,
        CLAIMS_CHECK,
        PROOF_CHECK,
        KEY_BINDING_CHECK,
        STATUS_CHECK,
        STATUS_ENTRIES_CHECK,
        VALIDITY_PERIOD_CHECK,
        VALID_FROM_CHECK,
        REGISTERED_ISSUER_CHECK,
    )
)

__all__ = [
    "DATA_INTEGRITY",
    "DEFAULT_CLOCK_SKEW",
    "VC_JWT",
    "VERIFICATION_CHECKS",
    "CheckInput",
    "CheckPlan",
    "CheckRegistry",
    "VerificationCheck",
    "check_prepared_validity",
    "check_registered_issuer",
    "check_status",
    "check_validity_period",
    "parse_time",
]
