"""The part of verification that depends only on the credential's bytes: parse, contexts, structure, and the
canonical hashes the proof signs. It is what the verification cache keeps; clock, key, status and trust are
applied fresh on every call (see verify.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rexvet_credentials.canonicalize import DEFAULT_WORK_LIMIT, WorkLimit, canonicalize
from rexvet_credentials.contexts import UNDEFINED_TERM_NAMESPACE, UNDEFINED_TERMS_CONTEXT
from rexvet_credentials.data_integrity import ECDSA_SD_2023, check_proof_shape, proof_options, suite_of
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.errors import CanonicalizationError, DocumentLoaderError
from rexvet_credentials.models.reading import read_credential_structure
from rexvet_credentials.models.vcdm import credential_problems
from rexvet_credentials.nquads import Quad
from rexvet_credentials.proofs import PreparedProof
from rexvet_credentials.proofs.ecdsa_sd import SdProofError, derived_parts, read_proof_value
from rexvet_credentials.proofs.ecdsa_sd_base import base_as_derived
from rexvet_credentials.rdf import to_quads
from rexvet_credentials.report import Check, failed, not_checked, passed

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
# Credentials held to the OB 3.0 model; every other verifiable credential to the VC data model alone.
OPEN_BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"})
_IRI_CODES = frozenset({"relative_iri", "malformed_iri"})
MAX_INPUT_BYTES = 4 * 1024 * 1024


@dataclass(slots=True)
class Prepared:
    checks: dict[str, Check]
    credential: dict[str, Any] | None = None
    # every embedded proof, ready to check against its key (empty when the proofs could not be prepared)
    proofs: tuple[PreparedProof, ...] = ()
    undefined_terms: tuple[str, ...] = ()
    credential_id: str | None = None
    issuer_id: str | None = None
    # proof and key-binding checks per resolved key object (keyed by id, the object kept to pin that id)
    key_checks: dict[tuple[int, int], tuple[Any, Check, Check]] = field(default_factory=dict)
    validity: Any = None  # parsed validity bounds, filled on first use (see checks/validity_period.py)

    @property
    def proof(self) -> Mapping[str, Any] | None:
        """The first proof (the only one, for most credentials)."""
        return self.proofs[0].proof if self.proofs else None


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

    doc_nquads: str | None = None
    context_problem = _check_context_list(credential, loader)
    if context_problem is not None:
        checks["contexts"] = context_problem
    else:
        unsecured = {k: v for k, v in credential.items() if k != "proof"}
        try:
            quads = to_quads(unsecured, loader)
            doc_nquads = canonicalize(quads, limit)
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
        kind, problems = read_credential_structure(credential)
        if problems:
            checks["structure"] = failed(
                "structure",
                "structure_invalid",
                "not a valid Open Badges 3.0 credential: " + "; ".join(str(p) for p in problems[:10]),
                problems=[str(p) for p in problems],
            )
        else:
            checks["structure"] = passed("structure", "structure_valid", f"a valid Open Badges 3.0 {kind}")

    _prepare_proofs(prepared, doc_nquads, loader, limit)
    return prepared


def _prepare_proofs(prepared: Prepared, doc_nquads: str | None, loader: DocumentLoader, limit: WorkLimit) -> None:
    """Every embedded proof: its shape, its previousProof chain, and the canonical forms it signs."""
    checks, credential = prepared.checks, prepared.credential
    assert credential is not None
    proof = credential.get("proof")
    proofs: list[Any] = proof if isinstance(proof, list) else [proof]
    if proof is None or not proofs:
        checks["proof"] = failed("proof", "proof_missing", "the credential has no embedded proof")
        return
    for number, item in enumerate(proofs, start=1):
        if (shape := check_proof_shape(item)) is not None:
            where = f"proof {number} of {len(proofs)}: " if len(proofs) > 1 else ""
            checks["proof"] = failed("proof", shape.code, where + shape.message)
            return
    if doc_nquads is None:
        checks["proof"] = _skip("proof", "the credential could not be canonicalised")
        return
    ready = []
    for item in proofs:
        found = _prepare_one(credential, item, proofs, doc_nquads, loader, limit)
        if isinstance(found, Check):
            checks["proof"] = found
            return
        ready.append(found)
    prepared.proofs = tuple(ready)


def _previous_proofs(item: Mapping[str, Any], proofs: list[Any]) -> list[Any] | Check:
    named = item["previousProof"]
    ids = [named] if isinstance(named, str) else named
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return failed("proof", "previous_proof_malformed", "previousProof must be a proof id or a list of proof ids")
    matching = [p for p in proofs if p.get("id") in ids]
    if len(matching) != len(ids):
        missing = sorted(set(ids) - {p.get("id") for p in matching})
        return failed(
            "proof",
            "previous_proof_missing",
            f"the proof names previousProof {', '.join(missing)}, which the credential does not carry: the chain "
            "of proofs is broken",
        )
    return matching


def _prepare_one(
    credential: Mapping[str, Any],
    item: Mapping[str, Any],
    proofs: list[Any],
    doc_nquads: str,
    loader: DocumentLoader,
    limit: WorkLimit,
) -> PreparedProof | Check:
    derived = None
    if suite_of(item) == ECDSA_SD_2023:
        try:
            base, parts = read_proof_value(str(item["proofValue"]))
            unsecured = {k: v for k, v in credential.items() if k != "proof"}
            derived = base_as_derived(parts, unsecured, loader, limit) if base else derived_parts(parts)
        except SdProofError as exc:
            return failed("proof", exc.code, exc.message)
        except (CanonicalizationError, DocumentLoaderError) as exc:
            return failed("proof", exc.code, f"the base proof's selection: {exc.message}")
    secured = None
    if "previousProof" in item:
        # a proof in a chain also secures the proofs it follows (VC Data Integrity, "previousProof")
        previous = _previous_proofs(item, proofs)
        if isinstance(previous, Check):
            return previous
        secured = {**{k: v for k, v in credential.items() if k != "proof"}, "proof": previous}
    try:
        options = canonicalize(to_quads(proof_options(credential, item), loader), limit)
        if secured is not None:
            doc_nquads = canonicalize(to_quads(secured, loader), limit)
    except (CanonicalizationError, DocumentLoaderError) as exc:
        return failed("proof", exc.code, f"proof options: {exc.message}")
    return PreparedProof(item, options, doc_nquads, derived)
