"""verify_credential: one function, every check, no exception for an expected outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from rexvet_credentials.canonicalize import DEFAULT_WORK_LIMIT, WorkLimit
from rexvet_credentials.checks import (
    DEFAULT_CLOCK_SKEW,
    VERIFICATION_CHECKS,
    CheckInput,
    CheckRegistry,
    check_registered_issuer,
    check_status,
    check_validity_period,
    parse_time,
)
from rexvet_credentials.checks.key_binding import KEY_BINDING, check_key_binding
from rexvet_credentials.did_key import CompositeKeyResolver
from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.errors import KeyResolutionError, KeyResolutionUnavailable
from rexvet_credentials.ports import (
    Clock,
    KeyResolver,
    StatusChecker,
    TrustedIssuerRegistry,
)
from rexvet_credentials.prepare import Prepared, prepare
from rexvet_credentials.proofs import PreparedProof
from rexvet_credentials.report import (
    Check,
    CheckOutcome,
    VerificationReport,
    failed,
    not_checked,
    passed,
)
from rexvet_credentials.verification_cache import PreparedCache

_DEFAULT_RESOLVER = CompositeKeyResolver()


async def verify_credential(
    data: bytes | str | Mapping[str, Any],
    *,
    clock: Clock,
    key_resolver: KeyResolver | None = None,
    status_checker: StatusChecker | None = None,
    trusted_issuers: TrustedIssuerRegistry | None = None,
    loader: DocumentLoader = DEFAULT_LOADER,
    cache: PreparedCache | None = None,
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
    work_limit: WorkLimit = DEFAULT_WORK_LIMIT,
    open_badges: bool = True,
    checks: CheckRegistry = VERIFICATION_CHECKS,
) -> VerificationReport:
    """Verify a JSON credential with an embedded proof and report every check.

    `data` is the credential's bytes (preferred: the cache is keyed by them) or an already parsed object.
    `key_resolver` defaults to did:key only. Without `status_checker`, a credential that has a
    `credentialStatus` is `incomplete`; without `trusted_issuers`, the registry check is reported as not
    checked (a warning, which does not change the outcome). `open_badges` False checks the structure of a
    plain verifiable credential only (a status list credential, for instance). `checks` is the registry whose
    Data Integrity checks are reported (tests pass their own).
    """
    plan = checks.data_integrity
    prepared = _prepared(data, loader, cache if open_badges else None, work_limit, open_badges)
    credential = prepared.credential
    if credential is None:
        return _report(plan.after_parse_failure(prepared.checks["parse"]), prepared)
    proof_check, binding_check = await _check_proofs(prepared, key_resolver or _DEFAULT_RESOLVER)
    now = clock.now()
    for ready in prepared.proofs:
        expires = parse_time(ready.proof.get("expires"))
        if expires is not None and now - clock_skew > expires:
            proof_check = failed("proof", "proof_expired", f"the proof expired at {ready.proof['expires']}")
    # read so far: parse, contexts, structure and proof (prepare.py), key binding; the registry runs the rest
    results = {**prepared.checks, KEY_BINDING: binding_check}
    if proof_check is not None:
        results["proof"] = proof_check
    subject = CheckInput(prepared, credential, now, clock_skew, status_checker, trusted_issuers, results)
    checks_run = plan.run(subject)
    return VerificationReport.from_checks(
        checks_run if isinstance(checks_run, tuple) else await checks_run,
        credential_id=prepared.credential_id,
        issuer_id=prepared.issuer_id,
        undefined_terms=prepared.undefined_terms,
    )


def verify_credential_sync(data: bytes | str | Mapping[str, Any], **kwargs: Any) -> VerificationReport:
    """The same, for callers without an event loop (the CLI, scripts)."""
    return asyncio.run(verify_credential(data, **kwargs))


def _prepared(
    data: bytes | str | Mapping[str, Any],
    loader: DocumentLoader,
    cache: PreparedCache | None,
    limit: WorkLimit,
    open_badges: bool,
) -> Prepared:
    if cache is None or not isinstance(data, bytes | str):
        return prepare(data, loader, limit, open_badges=open_badges)
    found = cache.get(data)
    if found is None:
        found = prepare(data, loader, limit)
        cache.put(data, found)
    return found


def _report(checks: tuple[Check, ...], prepared: Prepared) -> VerificationReport:
    return VerificationReport.from_checks(
        checks,
        credential_id=prepared.credential_id,
        issuer_id=prepared.issuer_id,
        undefined_terms=prepared.undefined_terms,
    )


async def _check_proofs(prepared: Prepared, resolver: KeyResolver) -> tuple[Check | None, Check]:
    """(replacement for the prepared proof check or None, key binding check), over every proof.

    Every proof must be valid. The key binding passes when one valid proof is by the issuer's key: the others are
    co-signers or witnesses (a proof set or a previousProof chain), named in the report, not forgers."""
    if not prepared.proofs:
        return None, not_checked(KEY_BINDING, "skipped", "not checked because the proof could not be checked")
    if len(prepared.proofs) == 1:
        return await _check_one(prepared, prepared.proofs[0], resolver)
    answers = [await _check_one(prepared, ready, resolver) for ready in prepared.proofs]
    proofs = [answer[0] for answer in answers]
    for outcome in (CheckOutcome.FAILED, CheckOutcome.NOT_CHECKED):
        for number, check in enumerate(proofs, start=1):
            if check.outcome is outcome:
                message = f"proof {number} of {len(proofs)}: {check.message}"
                return Check("proof", outcome, check.code, message, details=check.details), answers[number - 1][1]
    bindings = [answer[1] for answer in answers]
    binding = next((b for b in bindings if b.outcome is CheckOutcome.PASSED), bindings[0])
    methods = [ready.method for ready in prepared.proofs]
    summary = "; ".join(check.message for check in proofs)
    return passed("proof", "signature_valid", f"{len(proofs)} valid proofs: {summary}", methods=methods), binding


async def _check_one(prepared: Prepared, ready: PreparedProof, resolver: KeyResolver) -> tuple[Check, Check]:
    method = ready.method
    try:
        key = await resolver.resolve(method)
    except KeyResolutionUnavailable as exc:
        reason = f"the verification method {method} could not be resolved now: {exc.message}"
        return (
            not_checked("proof", exc.code, reason),
            not_checked(KEY_BINDING, exc.code, reason),
        )
    except KeyResolutionError as exc:
        reason = f"the verification method {method} cannot be used: {exc.message}"
        return failed("proof", exc.code, reason), not_checked(KEY_BINDING, "skipped", reason)
    memo = (id(key), id(ready))
    remembered = prepared.key_checks.get(memo)
    if remembered is not None and remembered[0] is key:
        # the same resolved key object as last time (did:key resolution is memoised): same two answers
        return remembered[1], remembered[2]
    if not ready.signature_valid(key.public_key):
        proof_check = failed(
            "proof",
            "signature_invalid",
            f"the signature does not match the credential and the key {method}: the credential was changed "
            "after signing, or signed with another key",
        )
    else:
        proof_check = passed("proof", "signature_valid", f"valid {ready.suite} signature by {method}")
    binding_check = check_key_binding(key, method, prepared.issuer_id)
    if len(prepared.key_checks) < 16:
        prepared.key_checks[memo] = (key, proof_check, binding_check)
    return proof_check, binding_check


__all__ = [
    "DEFAULT_CLOCK_SKEW",
    "check_registered_issuer",
    "check_status",
    "check_validity_period",
    "verify_credential",
    "verify_credential_sync",
]

# Names the VC-JWT verifier (jwt/verify.py) imported before these checks were public; kept so it keeps working.
