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
    check_prepared_validity,
    check_registered_issuer,
    check_status,
    check_validity_period,
    parse_time,
)
from rexvet_credentials.data_integrity import signature_valid
from rexvet_credentials.did_key import CompositeKeyResolver
from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.errors import KeyResolutionError, KeyResolutionUnavailable
from rexvet_credentials.ports import (
    Clock,
    KeyResolver,
    ResolvedKey,
    StatusChecker,
    TrustedIssuerRegistry,
)
from rexvet_credentials.prepare import Prepared, prepare
from rexvet_credentials.report import (
    Check,
    CheckOutcome,
    Severity,
    VerificationReport,
    failed,
    not_checked,
    passed,
)
from rexvet_credentials.verification_cache import VerificationCache

_NO_STATUS = passed("status", "no_status", "the credential has no credentialStatus: nothing to revoke")
_NO_REGISTRY = Check(
    "registered_issuer",
    CheckOutcome.NOT_CHECKED,
    "no_registry",
    "no trusted-issuer registry was given",
    Severity.WARNING,
)
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
) -> VerificationReport:
    """Verify a JSON credential with an embedded proof and report every check.

    `data` is the credential's bytes (preferred: the cache is keyed by them) or an already parsed object.
    `key_resolver` defaults to did:key only. Without `status_checker`, a credential that has a
    `credentialStatus` is `incomplete`; without `trusted_issuers`, the registry check is reported as not
    checked (a warning, which does not change the outcome). `open_badges` False checks the structure of a
    plain verifiable credential only (a status list credential, for instance).
    """
    prepared = _prepared(data, loader, cache if open_badges else None, work_limit, open_badges)
    credential = prepared.credential
    if credential is None:
        checks = dict(prepared.checks)
        for check_id in ("key_binding", "status", "validity_period"):
            checks[check_id] = not_checked(check_id, "skipped", "not checked because the input could not be parsed")
        checks["registered_issuer"] = _warning(
            not_checked("registered_issuer", "skipped", "not checked because the input could not be parsed")
        )
        return _report(checks, prepared)
    proof_check, binding_check = await _check_proof_and_key(prepared, key_resolver or _DEFAULT_RESOLVER)
    now = clock.now()
    if prepared.proof is not None and "expires" in prepared.proof:
        expires = parse_time(prepared.proof["expires"])
        if expires is not None and now - clock_skew > expires:
            proof_check = failed("proof", "proof_expired", f"the proof expired at {prepared.proof['expires']}")
    status = _NO_STATUS if "credentialStatus" not in credential else await check_status(credential, status_checker)
    registry = (
        _NO_REGISTRY
        if trusted_issuers is None
        else _warning(await check_registered_issuer(prepared.issuer_id, trusted_issuers))
    )
    known = prepared.checks
    return VerificationReport.from_checks(
        (
            known["parse"],
            known["contexts"],
            known["structure"],
            proof_check or known["proof"],
            binding_check,
            status,
            check_prepared_validity(prepared, now, clock_skew),
            registry,
        ),
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


def _report(checks: dict[str, Check], prepared: Prepared) -> VerificationReport:
    order = (
        "parse",
        "contexts",
        "structure",
        "proof",
        "key_binding",
        "status",
        "validity_period",
        "registered_issuer",
    )
    return VerificationReport.from_checks(
        tuple(checks[c] for c in order),
        credential_id=prepared.credential_id,
        issuer_id=prepared.issuer_id,
        undefined_terms=prepared.undefined_terms,
    )


def _warning(check: Check) -> Check:
    return Check(check.id, check.outcome, check.code, check.message, Severity.WARNING, check.details)


def _raw(public_key: Any) -> bytes:
    if isinstance(public_key, Ed25519PublicKey):
        return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return bytes(public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))


async def _check_proof_and_key(prepared: Prepared, resolver: KeyResolver) -> tuple[Check | None, Check]:
    """(replacement for the prepared proof check or None, key binding check)."""
    proof = prepared.proof
    if proof is None or prepared.signed_bytes is None:
        return None, not_checked("key_binding", "skipped", "not checked because the proof could not be checked")
    method = str(proof["verificationMethod"])
    try:
        key = await resolver.resolve(method)
    except KeyResolutionUnavailable as exc:
        reason = f"the verification method {method} could not be resolved now: {exc.message}"
        return (
            not_checked("proof", exc.code, reason),
            not_checked("key_binding", exc.code, reason),
        )
    except KeyResolutionError as exc:
        reason = f"the verification method {method} cannot be used: {exc.message}"
        return failed("proof", exc.code, reason), not_checked("key_binding", "skipped", reason)
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
    binding_check = _check_binding(key, method, prepared.issuer_id)
    if len(prepared.key_checks) < 16:
        prepared.key_checks[id(key)] = (key, proof_check, binding_check)
    return proof_check, binding_check


def _check_binding(key: ResolvedKey, method: str, issuer_id: str | None) -> Check:
    if issuer_id is None:
        return failed("key_binding", "issuer_missing", "the credential has no issuer id to bind the key to")
    if key.controller != issuer_id:
        return failed(
            "key_binding",
            "controller_mismatch",
            f"the key {method} is controlled by {key.controller}, not by the issuer {issuer_id}",
            controller=key.controller,
            issuer=issuer_id,
        )
    if key.purposes is not None and "assertionMethod" not in key.purposes:
        return failed(
            "key_binding",
            "key_not_for_assertion",
            f"the issuer lists {method} but not as an assertionMethod, so it may not sign credentials",
        )
    return passed("key_binding", "key_bound_to_issuer", f"the key is the issuer's ({issuer_id})")


__all__ = [
    "DEFAULT_CLOCK_SKEW",
    "check_registered_issuer",
    "check_status",
    "check_validity_period",
    "verify_credential",
    "verify_credential_sync",
]

# Names the VC-JWT verifier (jwt/verify.py) imported before these checks were public; kept so it keeps working.
