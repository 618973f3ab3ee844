"""verify_credential: one function, every check, no exception for an expected outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

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
from rexvet_credentials.data_integrity import signature_valid
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
from rexvet_credentials.report import (
    Check,
    VerificationReport,
    failed,
    not_checked,
    passed,
)
from rexvet_credentials.verification_cache import VerificationCache

_DEFAULT_RESOLVER = CompositeKeyResolver()


async def verify_credential(
    data: bytes | str | Mapping[str, Any],
    *,
    clock: Clock,
    key_resolver: KeyResolver | None = None,
    status_checker: StatusChecker | None = None,
    trusted_issuers: TrustedIssuerRegistry | None = None,
    loader: DocumentLoader = DEFAULT_LOADER,
    cache: VerificationCache | None = None,
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
    proof_check, binding_check = await _check_proof_and_key(prepared, key_resolver or _DEFAULT_RESOLVER)
    now = clock.now()
    if prepared.proof is not None and "expires" in prepared.proof:
        expires = parse_time(prepared.proof["expires"])
        if expires is not None and now - clock_skew > expires:
            proof_check = failed("proof", "proof_expired", f"the proof expired at {prepared.proof['expires']}")
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
    cache: VerificationCache | None,
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


def _raw(public_key: Any) -> bytes:
    if isinstance(public_key, Ed25519PublicKey):
        return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return bytes(public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))


async def _check_proof_and_key(prepared: Prepared, resolver: KeyResolver) -> tuple[Check | None, Check]:
    """(replacement for the prepared proof check or None, key binding check)."""
    proof = prepared.proof
    if proof is None or prepared.signed_bytes is None:
        return None, not_checked(KEY_BINDING, "skipped", "not checked because the proof could not be checked")
    method = str(proof["verificationMethod"])
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
    remembered = prepared.key_checks.get(id(key))
    if remembered is not None and remembered[0] is key:
        # the same resolved key object as last time (did:key resolution is memoised): same two answers
        return remembered[1], remembered[2]
    raw = _raw(key.public_key)
    valid = prepared.signatures.get(raw)
    if valid is None:
        valid = signature_valid(prepared.signed_bytes, proof, key.public_key)
        prepared.signatures[raw] = valid
    if not valid:
        proof_check = failed(
            "proof",
            "signature_invalid",
            f"the signature does not match the credential and the key {method}: the credential was changed "
            "after signing, or signed with another key",
        )
    else:
        suite = proof.get("cryptosuite") or proof.get("type")
        proof_check = passed("proof", "signature_valid", f"valid {suite} signature by {method}")
    binding_check = check_key_binding(key, method, prepared.issuer_id)
    if len(prepared.key_checks) < 16:
        prepared.key_checks[id(key)] = (key, proof_check, binding_check)
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
