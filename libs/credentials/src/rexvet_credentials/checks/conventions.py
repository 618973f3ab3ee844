"""Warnings where the 1EdTech validator warns: a credential that older OB 3.0 issuers write is accepted, and what
it lacks is named (`context_version`, `issuer_name`, `valid_from`). Never a failure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rexvet_credentials.checks.registry import CheckInput, VerificationCheck
from rexvet_credentials.contexts import OB_CONTEXT_3_0_0
from rexvet_credentials.report import Check, CheckOutcome, Severity

CONTEXT_VERSION = "context_version"
ISSUER_NAME = "issuer_name"
VALID_FROM = "valid_from"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
LEGACY_CONTEXTS = (OB_CONTEXT_3_0_0, VC_V1)


def _warning(
    check_id: str, passed: bool, code: str, message: str, params: Mapping[str, str] | None = None, **details: Any
) -> Check:
    outcome = CheckOutcome.PASSED if passed else CheckOutcome.FAILED
    return Check(check_id, outcome, code, message, Severity.WARNING, details, params or {})


_CURRENT = _warning(CONTEXT_VERSION, True, "current_context", "the credential uses the current contexts")
_NAMED = _warning(ISSUER_NAME, True, "issuer_named", "the issuer's profile has a name")
_HAS_VALID_FROM = _warning(VALID_FROM, True, "valid_from_present", "the credential says from when it is valid")


def contexts_of(credential: Mapping[str, Any]) -> list[Any]:
    contexts = credential.get("@context")
    return contexts if isinstance(contexts, list) else [contexts]


def under_first_ob_context(credential: Mapping[str, Any]) -> bool:
    return OB_CONTEXT_3_0_0 in contexts_of(credential)


def _context_version(subject: CheckInput) -> Check:
    legacy = [c for c in contexts_of(subject.credential) if c in LEGACY_CONTEXTS]
    if not legacy:
        return _CURRENT
    return _warning(
        CONTEXT_VERSION,
        False,
        "legacy_context",
        f"the credential uses the legacy context {legacy[0]}; current issuers use "
        "https://www.w3.org/ns/credentials/v2 with https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        params={"context": str(legacy[0])},
        contexts=legacy,
    )


def _issuer_name(subject: CheckInput) -> Check:
    issuer = subject.credential.get("issuer")
    if isinstance(issuer, Mapping) and isinstance(issuer.get("name"), str) and issuer["name"].strip():
        return _NAMED
    return _warning(
        ISSUER_NAME,
        False,
        "issuer_name_missing",
        "the issuer's profile has no name: whoever reads the badge sees only the issuer's id",
    )


def _valid_from(subject: CheckInput) -> Check:
    credential = subject.credential
    if "validFrom" in credential:
        return _HAS_VALID_FROM
    if "issuanceDate" in credential:
        because = ": it has the VC 1.1 issuanceDate instead, which current verifiers no longer read"
    elif under_first_ob_context(credential):
        because = " (nor the VC 1.1 issuanceDate): allowed under the first OB 3.0 context"
    else:
        because = " (nor the VC 1.1 issuanceDate)"
    return _warning(VALID_FROM, False, "valid_from_missing", "the credential has no validFrom" + because)


CONTEXT_VERSION_CHECK = VerificationCheck(
    id=CONTEXT_VERSION,
    title="Current Open Badges 3.0 context",
    failure="the credential uses a legacy context (the first OB 3.0 context or VC 1.1): it is read, but current "
    "verifiers may not all accept it",
    run=_context_version,
    severity=Severity.WARNING,
)
ISSUER_NAME_CHECK = VerificationCheck(
    id=ISSUER_NAME,
    title="Issuer has a name",
    failure="the issuer's profile has no name: whoever reads the badge sees only the issuer's id",
    run=_issuer_name,
    severity=Severity.WARNING,
)
VALID_FROM_CHECK = VerificationCheck(
    id=VALID_FROM,
    title="States when it becomes valid",
    failure="the credential does not say from when it is valid (the first OB 3.0 context allowed that)",
    run=_valid_from,
    severity=Severity.WARNING,
)
