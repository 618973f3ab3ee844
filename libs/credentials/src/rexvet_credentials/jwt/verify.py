"""Verify a VC-JWT and report every check, like `verify_credential` does for embedded proofs.

Both payload forms are accepted: the OB 3.0 / VC 2.0 form (the payload is the credential plus registered
claims) and the older VC 1.1 form (the credential under `vc`). The JOSE work (parsing, signature) is joserfc's;
what is decided here is which algorithm and which key are acceptable:
- only RS256, ES256 and EdDSA; `none` and every other algorithm are refused before any key is looked at;
- the key's type must be the one `alg` names (no RSA key for ES256, no HMAC ever): no algorithm confusion;
- the key comes from `kid` (resolved), from `jwk` (then it must also be one of the issuer's keys), or from the
  issuer's own `assertionMethod` keys; it must be controlled by the issuer.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jws
from joserfc.errors import JoseError

# The checks after reading (status, validity, registry...) and key binding are the same as for embedded proofs:
# one implementation each, in the checks' registry.
from rexvet_credentials.checks import VERIFICATION_CHECKS, CheckInput, CheckRegistry
from rexvet_credentials.checks.key_binding import KEY_BINDING, check_key_binding
from rexvet_credentials.did_key import CompositeKeyResolver
from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.errors import KeyResolutionError, KeyResolutionUnavailable
from rexvet_credentials.jwt.claims import REGISTERED_CLAIMS, claim_disagreements, issuer_id
from rexvet_credentials.jwt.jwk import public_key_from_jwk
from rexvet_credentials.jwt.keys import (
    ALLOWED_ALGORITHMS,
    joserfc_key,
    jws_registry,
    key_matches_algorithm,
    quiet_eddsa_deprecation,
)
from rexvet_credentials.ports import (
    Clock,
    KeyResolver,
    PublicKey,
    ResolvedKey,
    StatusChecker,
    TrustedIssuerRegistry,
)
from rexvet_credentials.prepare import prepare
from rexvet_credentials.report import Check, VerificationReport, failed, not_checked, passed
from rexvet_credentials.verify import DEFAULT_CLOCK_SKEW

MAX_TOKEN_CHARS = 4 * 1024 * 1024


class IssuerKeySource(Protocol):
    async def assertion_keys(self, issuer_id: str) -> list[ResolvedKey]: ...


def looks_like_jwt(text: str | bytes) -> bool:
    head = text[:3] if isinstance(text, str) else text[:3].decode("latin-1")
    return head == "eyJ" and (text.count(".") if isinstance(text, str) else text.count(b".")) == 2


def _b64json(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _raw(key: PublicKey) -> bytes:
    return key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _from_numeric_date(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
    return None


def _credential_from_vc_claim(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The older form: the credential under `vc`; properties it leaves out come from the registered claims."""
    credential = dict(payload["vc"])
    if "issuer" not in credential and isinstance(payload.get("iss"), str):
        credential["issuer"] = payload["iss"]
    if "id" not in credential and isinstance(payload.get("jti"), str):
        credential["id"] = payload["jti"]
    v2 = "validFrom" in credential or "https://www.w3.org/ns/credentials/v2" in str(credential.get("@context"))
    start_key, end_key = ("validFrom", "validUntil") if v2 else ("issuanceDate", "expirationDate")
    start = _from_numeric_date(payload.get("nbf"))
    if "validFrom" not in credential and "issuanceDate" not in credential and start is not None:
        credential[start_key] = start
    end = _from_numeric_date(payload.get("exp"))
    if "validUntil" not in credential and "expirationDate" not in credential and end is not None:
        credential[end_key] = end
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and "id" not in subject and isinstance(payload.get("sub"), str):
        credential["credentialSubject"] = {**subject, "id": payload["sub"]}
    return credential


def _report(checks: tuple[Check, ...], credential: Mapping[str, Any] | None) -> VerificationReport:
    cred_id = credential.get("id") if credential else None
    return VerificationReport.from_checks(
        checks,
        credential_id=cred_id if isinstance(cred_id, str) else None,
        issuer_id=issuer_id(credential) if credential else None,
    )


async def verify_vc_jwt(
    token: str | bytes,
    *,
    clock: Clock,
    key_resolver: KeyResolver | None = None,
    status_checker: StatusChecker | None = None,
    trusted_issuers: TrustedIssuerRegistry | None = None,
    loader: DocumentLoader = DEFAULT_LOADER,
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
    checks: CheckRegistry = VERIFICATION_CHECKS,
) -> VerificationReport:
    """`checks` is the registry whose VC-JWT checks are reported (tests pass their own)."""
    plan = checks.vc_jwt
    resolver: KeyResolver = key_resolver or CompositeKeyResolver()
    text = token.decode("ascii", "replace") if isinstance(token, bytes) else token
    text = text.strip()
    if len(text) > MAX_TOKEN_CHARS:
        too_large = failed("parse", "too_large", f"the token is longer than {MAX_TOKEN_CHARS} characters")
        return _report(plan.after_parse_failure(too_large), None)
    segments = text.split(".")
    try:
        if len(segments) != 3:
            raise ValueError(f"a compact JWS has 3 segments, this has {len(segments)}")
        header = _b64json(segments[0])
        payload = _b64json(segments[1])
        if not isinstance(header, dict) or not isinstance(payload, dict):
            raise ValueError("the JOSE header and the payload must be JSON objects")
    except (ValueError, UnicodeDecodeError) as exc:
        return _report(plan.after_parse_failure(failed("parse", "not_a_jwt", f"not a VC-JWT: {exc}")), None)

    if isinstance(payload.get("vc"), Mapping):
        credential = _credential_from_vc_claim(payload)
        form = "the older VC-JWT form (credential under the vc claim)"
    else:
        credential = {k: v for k, v in payload.items() if k not in REGISTERED_CLAIMS}
        form = "the VC 2.0 / OB 3.0 VC-JWT form"
    results: dict[str, Check] = {
        "parse": passed("parse", "parsed_jwt", f"a compact JWS in {form}", alg=header.get("alg"))
    }

    prepared = prepare(credential, loader)
    results["contexts"] = prepared.checks["contexts"]
    results["structure"] = prepared.checks["structure"]
    problems = claim_disagreements(payload, credential)
    results["claims"] = (
        failed("claims", "claims_disagree", "; ".join(problems), problems=problems)
        if problems
        else passed("claims", "claims_consistent", "the JWT claims agree with the credential")
    )

    results["proof"], results[KEY_BINDING] = await _check_signature(text, header, credential, resolver)
    # prepared.credential is the credential read from the payload (a copy), the one the registry's checks see
    assert prepared.credential is not None
    subject = CheckInput(
        prepared, prepared.credential, clock.now(), clock_skew, status_checker, trusted_issuers, results
    )
    checks_run = plan.run(subject)
    return _report(checks_run if isinstance(checks_run, tuple) else await checks_run, credential)


def verification_method_for_kid(kid: str, issuer: str | None) -> str:
    """An absolute verification method id from a `kid`: a DID URL or URL as is; a fragment after the issuer."""
    if ":" in kid.split("#", 1)[0]:
        return kid
    if issuer is None:
        return kid
    return issuer + kid if kid.startswith("#") else f"{issuer}#{kid}"


async def _issuer_keys(resolver: KeyResolver, issuer: str) -> list[ResolvedKey]:
    source = getattr(resolver, "assertion_keys", None)
    if source is not None:
        keys: list[ResolvedKey] = await source(issuer)
        return keys
    if issuer.startswith("did:key:"):
        return [await resolver.resolve(issuer)]
    raise KeyResolutionUnavailable(f"no way to list the keys of {issuer} was configured")


async def _check_signature(
    token: str, header: Mapping[str, Any], credential: Mapping[str, Any], resolver: KeyResolver
) -> tuple[Check, Check]:
    alg = header.get("alg")
    skipped = not_checked(KEY_BINDING, "skipped", "not checked because the signature could not be checked")
    if not isinstance(alg, str) or alg.lower() == "none":
        return failed("proof", "alg_none", "alg 'none' (an unsigned JWT) is never accepted"), skipped
    if alg not in ALLOWED_ALGORITHMS:
        allowed = ", ".join(ALLOWED_ALGORITHMS)
        return failed("proof", "alg_not_allowed", f"alg {alg!r} is not accepted (only {allowed})"), skipped
    if "b64" in header or "crit" in header:
        return failed("proof", "jws_extension_unsupported", "JWS extensions (crit, b64) are not accepted"), skipped
    issuer = issuer_id(credential)
    candidates: list[ResolvedKey] = []
    embedded: PublicKey | None = None
    binding_unknown: str | None = None
    try:
        if isinstance(header.get("kid"), str):
            candidates = [await resolver.resolve(verification_method_for_kid(header["kid"], issuer))]
        elif isinstance(header.get("jwk"), Mapping):
            embedded = public_key_from_jwk(header["jwk"])
        elif issuer is not None:
            candidates = await _issuer_keys(resolver, issuer)
        else:
            return failed("proof", "key_missing", "no kid, no jwk and no issuer to find the key from"), skipped
    except KeyResolutionUnavailable as exc:
        reason = f"the signing key could not be resolved now: {exc.message}"
        return not_checked("proof", exc.code, reason), not_checked(KEY_BINDING, exc.code, reason)
    except KeyResolutionError as exc:
        return failed("proof", exc.code, f"the signing key cannot be used: {exc.message}"), skipped

    if embedded is not None:
        # The jwk header proves nothing about who holds the key: it must also be one of the issuer's keys.
        try:
            issuer_keys = await _issuer_keys(resolver, issuer) if issuer is not None else []
        except KeyResolutionUnavailable as exc:
            issuer_keys, binding_unknown = [], exc.message
        except KeyResolutionError:
            issuer_keys = []
        matching = [k for k in issuer_keys if _raw(k.public_key) == _raw(embedded)]
        candidates = matching or [ResolvedKey(id="jwk", controller="(embedded jwk)", public_key=embedded)]

    usable = [k for k in candidates if key_matches_algorithm(k.public_key, alg)]
    if not usable:
        return (
            failed("proof", "algorithm_key_mismatch", f"no key of the type alg {alg} requires was found"),
            skipped,
        )
    for key in usable:
        try:
            with quiet_eddsa_deprecation():
                jws.deserialize_compact(token, joserfc_key(key.public_key), registry=jws_registry(alg))
        except (JoseError, ValueError):
            continue
        proof = passed("proof", "signature_valid", f"valid {alg} JWS signature by {key.id}")
        if binding_unknown is not None:
            return proof, not_checked(KEY_BINDING, "key_resolution_unavailable", binding_unknown)
        return proof, check_key_binding(key, key.id, issuer)
    return (
        failed(
            "proof",
            "signature_invalid",
            "the JWS signature does not match: the token was changed after signing, or signed with another key",
        ),
        skipped,
    )
