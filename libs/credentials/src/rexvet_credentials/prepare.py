"""The part of verification that depends only on the credential's bytes: parse, contexts, structure, and the
canonical hashes the proof signs. It is what the verification cache keeps; clock, key, status and trust are
applied fresh on every call (see verify.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rexvet_credentials.canonicalize import DEFAULT_WORK_LIMIT, WorkLimit, canonicalize
from rexvet_credentials.contexts import UNDEFINED_TERM_NAMESPACE, UNDEFINED_TERMS_CONTEXT
from rexvet_credentials.data_integrity import check_proof_shape, proof_options
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.errors import CanonicalizationError, DocumentLoaderError
from rexvet_credentials.models import parse_credential
from rexvet_credentials.models.vcdm import credential_problems
from rexvet_credentials.nquads import Quad
from rexvet_credentials.rdf import to_quads
from rexvet_credentials.report import Check, failed, not_checked, passed

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
# Credentials held to the OB 3.0 model; every other verifiable credential to the VC data model alone.
OPEN_BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
_IRI_CODES = frozenset({"relative_iri", "malformed_iri"})
MAX_INPUT_BYTES = 4 * 1024 * 1024


@dataclass(slots=True)
class Prepared:
    checks: dict[str, Check]
    credential: dict[str, Any] | None = None
    proof: Mapping[str, Any] | None = None
    signed_bytes: bytes | None = None
    undefined_terms: tuple[str, ...] = ()
    credential_id: str | None = None
    issuer_id: str | None = None
    # signature results by raw public key bytes: a rotated key is checked again, a known one is not
    signatures: dict[bytes, bool] = field(default_factory=dict)
    # proof and key-binding checks per resolved key object (keyed by id, the object kept to pin that id)
    key_checks: dict[int, tuple[Any, Check, Check]] = field(default_factory=dict)
    validity: Any = None  # parsed validity bounds, filled on first use (see checks/validity_period.py)


def _skip(check_id: str, because: str) -> Check:
    return not_checked(check_id, "skipped", f"not checked because {because}")


def parse_input(data: bytes | str | Mapping[str, Any]) -> tuple[dict[str, Any] | None, Check]:
    if isinstance(data, Mapping):
        return dict(data), passed("parse", "parsed", "the credential is a JSON object")
    if len(data) > MAX_INPUT_BYTES:
        return None, failed("parse", "too_large", f"the input is larger than {MAX_INPUT_BYTES} bytes")
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:
        text = data if isinstance(data, str) else data[:4].decode("latin-1")
        if text.lstrip().startswith("eyJ"):
            return None, failed(
                "parse",
                "unsupported_format",
                "this looks like a VC-JWT (compact JWS); only JSON credentials with an embedded proof are "
                "verified here",
            )
        return None, failed("parse", "not_json", f"the input is not JSON: {exc}")
    if not isinstance(value, dict):
        return None, failed("parse", "not_an_object", f"a credential is a JSON object, not {type(value).__name__}")
    return value, passed("parse", "parsed", "the credential is a JSON object")


def _check_context_list(credential: Mapping[str, Any], loader: DocumentLoader) -> Check | None:
    contexts = credential.get("@context")
    if contexts is None:
        return failed("contexts", "context_missing", "the credential has no @context")
    items = contexts if isinstance(contexts, list) else [contexts]
    if not items or items[0] not in (VC_V2, VC_V1):
        return failed(
            "contexts",
            "context_order",
            f"the first @context must be {VC_V2} (found {items[0] if items else 'none'!r})",
        )
    for item in items:
        if isinstance(item, Mapping):
            # An inline context: expanded in safe mode like any other (a term it leaves undefined, or a protected
            # term it tries to redefine, is an error), so what is signed is still everything the credential says.
            continue
        if not isinstance(item, str):
            return failed("contexts", "context_malformed", "an @context item must be a URL or a context object")
        if not loader.knows(item):
            return failed(
                "contexts",
                "unknown_context",
                f"context {item!r} is not one of the pinned contexts (rexvet never fetches contexts)",
                url=item,
            )
    if UNDEFINED_TERMS_CONTEXT in items and items[-1] != UNDEFINED_TERMS_CONTEXT:
        return failed("contexts", "context_order", f"{UNDEFINED_TERMS_CONTEXT} must be the last @context when used")
    return None


def _undefined_terms(quads: list[Quad]) -> tuple[str, ...]:
    prefix = "<" + UNDEFINED_TERM_NAMESPACE
    found = {t[len(prefix) : -1] for q in quads for t in (q[1], q[2]) if t.startswith(prefix)}
    return tuple(sorted(found))


def _canonical_error_check(exc: CanonicalizationError | DocumentLoaderError, where: str) -> Check:
    check_id = "structure" if exc.code in _IRI_CODES else "contexts"
    return failed(check_id, exc.code, f"{where}: {exc.message}")


def _vc_structure(credential: Mapping[str, Any], issuer_id: str | None) -> Check:
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    if "VerifiableCredential" not in types:
        return failed("structure", "structure_invalid", "type: must include VerifiableCredential")
    if issuer_id is None:
        return failed("structure", "structure_invalid", "issuer: required property is missing")
    return passed("structure", "structure_valid", "a verifiable credential")


def is_open_badge(credential: Mapping[str, Any]) -> bool:
    types = credential.get("type")
    return any(isinstance(t, str) and t in OPEN_BADGE_TYPES for t in (types if isinstance(types, list) else [types]))


def _data_model_structure(credential: Mapping[str, Any]) -> Check:
    """Any other verifiable credential: held to the VC data model (2.0, or 1.1 under the 1.1 context)."""
    problems = credential_problems(credential)
    if problems:
        return failed(
            "structure",
            "structure_invalid",
            "not a valid verifiable credential: " + "; ".join(str(p) for p in problems[:10]),
            problems=[str(p) for p in problems],
        )
    return passed("structure", "structure_valid", "a valid verifiable credential (VC data model)")


def prepare(
    data: bytes | str | Mapping[str, Any],
    loader: DocumentLoader,
    limit: WorkLimit = DEFAULT_WORK_LIMIT,
    *,
    open_badges: bool = True,
) -> Prepared:
    """`open_badges` False checks only the VC basics (status list credentials and other plain VCs)."""
    credential, parse_check = parse_input(data)
    checks: dict[str, Check] = {"parse": parse_check}
    if credential is None:
        return Prepared(checks)  # the verifier reports every other check as skipped (the checks' registry)
    prepared = Prepared(checks, credential)
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    prepared.issuer_id = issuer_id if isinstance(issuer_id, str) else None
    cred_id = credential.get("id")
    prepared.credential_id = cred_id if isinstance(cred_id, str) else None

    doc_hash: bytes | None = None
    context_problem = _check_context_list(credential, loader)
    if context_problem is not None:
        checks["contexts"] = context_problem
    else:
        unsecured = {k: v for k, v in credential.items() if k != "proof"}
        try:
            quads = to_quads(unsecured, loader)
            doc_hash = hashlib.sha256(canonicalize(quads, limit).encode()).digest()
        except (CanonicalizationError, DocumentLoaderError) as exc:
            problem = _canonical_error_check(exc, "credential")
            checks[problem.id] = problem
        else:
            if UNDEFINED_TERMS_CONTEXT in credential["@context"]:
                prepared.undefined_terms = _undefined_terms(quads)
            if prepared.undefined_terms:
                checks["contexts"] = passed(
                    "contexts",
                    "contexts_pinned_with_undefined_terms",
                    "every context is pinned; these terms are declared undefined by the issuer: "
                    + ", ".join(prepared.undefined_terms),
                    undefinedTerms=list(prepared.undefined_terms),
                )
            else:
                checks["contexts"] = passed(
                    "contexts", "contexts_pinned", "every context is pinned and every property is defined"
                )
    checks.setdefault("contexts", passed("contexts", "contexts_pinned", "every context is pinned"))

    if "structure" not in checks and not open_badges:
        checks["structure"] = _vc_structure(credential, prepared.issuer_id)
    if "structure" not in checks and not is_open_badge(credential):
        checks["structure"] = _data_model_structure(credential)
    if "structure" not in checks:
        _, problems = parse_credential(credential)
        if problems:
            checks["structure"] = failed(
                "structure",
                "structure_invalid",
                "not a valid Open Badges 3.0 credential: " + "; ".join(str(p) for p in problems[:10]),
                problems=[str(p) for p in problems],
            )
        else:
            checks["structure"] = passed("structure", "structure_valid", "a valid Open Badges 3.0 credential")

    proof = credential.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if proof is None:
        checks["proof"] = failed("proof", "proof_missing", "the credential has no embedded proof")
    elif isinstance(proof, list):
        checks["proof"] = failed(
            "proof", "multiple_proofs_unsupported", f"the credential has {len(proof)} proofs; one is supported"
        )
    elif (shape := check_proof_shape(proof)) is not None:
        checks["proof"] = failed("proof", shape.code, shape.message)
    elif doc_hash is None:
        checks["proof"] = _skip("proof", "the credential could not be canonicalised")
    else:
        prepared.proof = proof
        try:
            options_hash = hashlib.sha256(
                canonicalize(to_quads(proof_options(credential, proof), loader), limit).encode()
            ).digest()
        except (CanonicalizationError, DocumentLoaderError) as exc:
            checks["proof"] = failed("proof", exc.code, f"proof options: {exc.message}")
        else:
            prepared.signed_bytes = options_hash + doc_hash
    return prepared
