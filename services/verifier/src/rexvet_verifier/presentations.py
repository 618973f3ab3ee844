"""Verifying a verifiable presentation (W3C VC-API `verifyPresentation`): its own proof, made by the holder, and
every credential it carries.

A presentation is verified when: it follows the VC data model (models/vcdm.py); it carries one Data Integrity
proof (eddsa-rdfc-2022) whose purpose is `authentication` and whose signature, over the presentation as it is, is
valid for the key it names; the proof's `challenge` is the one the verifier asked for (and its `domain`, when
asked), so a presentation made for someone else, or captured and replayed, is refused; the key's controller is the
presentation's `holder` when it names one (holder binding: only the holder can present as the holder); and every
credential inside is verified (the same engine as /credentials/verify).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rexvet_credentials.data_integrity import check_proof_shape, hash_data, signature_valid
from rexvet_credentials.document_loader import DEFAULT_LOADER
from rexvet_credentials.errors import (
    CanonicalizationError,
    DocumentLoaderError,
    KeyResolutionError,
    KeyResolutionUnavailable,
)
from rexvet_credentials.models.vcdm import presentation_problems
from rexvet_credentials.report import Check, CheckOutcome, Severity, VerificationReport, failed, passed
from rexvet_verifier.presented_input import UnreadableInput, presented_from_json
from rexvet_verifier.verification import CredentialVerifier

AUTHENTICATION = "authentication"


@dataclass
class PresentationResult:
    checks: list[Check] = field(default_factory=list)
    credentials: list[VerificationReport | Check] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        own = all(check.outcome is CheckOutcome.PASSED for check in self.checks)
        carried = all(isinstance(r, VerificationReport) and r.verified for r in self.credentials)
        return own and carried

    def errors(self) -> list[dict[str, str]]:
        found = [
            {"check": c.id, "code": c.code, "message": c.message}
            for c in self.checks
            if c.outcome is not CheckOutcome.PASSED
        ]
        for index, report in enumerate(self.credentials):
            if isinstance(report, Check):
                found.append({"check": f"verifiableCredential.{index}", "code": report.code, "message": report.message})
            elif not report.verified:
                # the first failure that decides (a warning, e.g. an issuer without a name, does not)
                reasons = (
                    [c for c in report.checks if c.outcome is CheckOutcome.FAILED and c.severity is Severity.ERROR]
                    or [c for c in report.checks if c.outcome is not CheckOutcome.PASSED]
                    or list(report.checks)
                )
                first = reasons[0]
                found.append(
                    {"check": f"verifiableCredential.{index}.{first.id}", "code": first.code, "message": first.message}
                )
        return found


async def verify_presentation(
    presentation: Mapping[str, Any], options: Mapping[str, Any], verifier: CredentialVerifier
) -> PresentationResult:
    """Never raises for a bad presentation: every outcome is a check (`options`: the VC-API's challenge, domain)."""
    result = PresentationResult()
    problems = presentation_problems(presentation)
    if problems:
        result.checks.append(
            failed(
                "structure",
                "structure_invalid",
                "not a valid verifiable presentation: " + "; ".join(str(p) for p in problems[:10]),
            )
        )
        return result
    result.checks.append(passed("structure", "structure_valid", "a valid verifiable presentation"))
    result.checks.extend(await _proof_checks(presentation, options, verifier))
    carried = presentation.get("verifiableCredential", [])
    for credential in carried if isinstance(carried, list) else [carried]:
        try:
            presented = presented_from_json({"verifiableCredential": credential})
        except UnreadableInput as unreadable:
            result.credentials.append(failed("credential", unreadable.code, unreadable.message))
            continue
        result.credentials.append(await verifier.verify(presented))
    return result


async def _proof_checks(
    presentation: Mapping[str, Any], options: Mapping[str, Any], verifier: CredentialVerifier
) -> list[Check]:
    proof = presentation.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if proof is None:
        return [failed("proof", "proof_missing", "the presentation has no proof: its holder did not sign it")]
    if isinstance(proof, list):
        return [failed("proof", "multiple_proofs_unsupported", f"the presentation has {len(proof)} proofs")]
    shape = check_proof_shape(proof, AUTHENTICATION)
    if shape is not None:
        return [failed("proof", shape.code, shape.message)]
    checks = [_challenge_check(proof, options), _domain_check(proof, options)]
    method = str(proof["verificationMethod"])
    try:
        key = await verifier.key_resolver.resolve(method)
    except (KeyResolutionError, KeyResolutionUnavailable) as unusable:
        return [*checks, failed("proof", unusable.code, f"the key {method} cannot be used: {unusable.message}")]
    try:
        # JSON-LD expansion and canonicalisation: CPU work, off the event loop.
        signed_bytes = await asyncio.to_thread(hash_data, dict(presentation), proof, DEFAULT_LOADER)
    except (CanonicalizationError, DocumentLoaderError) as unreadable:
        return [*checks, failed("proof", unreadable.code, f"the presentation: {unreadable.message}")]
    if not signature_valid(signed_bytes, proof, key.public_key):
        checks.append(
            failed("proof", "signature_invalid", f"the signature does not match the presentation and the key {method}")
        )
    else:
        checks.append(passed("proof", "signature_valid", f"valid signature by {method}"))
    checks.append(_holder_check(presentation, key.controller, key.purposes))
    return checks


def _challenge_check(proof: Mapping[str, Any], options: Mapping[str, Any]) -> Check:
    expected = options.get("challenge")
    if expected is None:
        return passed("challenge", "challenge_not_asked", "no challenge was asked for (nothing to compare)")
    if proof.get("challenge") != expected:
        return failed(
            "challenge",
            "challenge_mismatch",
            f"the proof's challenge {proof.get('challenge')!r} is not the one asked for: the presentation was made "
            "for another request (or is replayed)",
        )
    return passed("challenge", "challenge_matches", "the proof answers the challenge asked for")


def _domain_check(proof: Mapping[str, Any], options: Mapping[str, Any]) -> Check:
    expected = options.get("domain")
    if expected is None:
        return passed("domain", "domain_not_asked", "no domain was asked for")
    given = proof.get("domain")
    if expected not in (given if isinstance(given, list) else [given]):
        return failed("domain", "domain_mismatch", f"the proof is for domain {given!r}, not {expected!r}")
    return passed("domain", "domain_matches", f"the proof is for {expected}")


def _holder_check(presentation: Mapping[str, Any], controller: str, purposes: frozenset[str] | None) -> Check:
    if purposes is not None and AUTHENTICATION not in purposes:
        return failed("holder", "key_not_for_authentication", "the key is not listed for authentication")
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
    if holder_id is None:
        return passed("holder", "holder_not_named", f"no holder is named; the presentation was signed by {controller}")
    if holder_id != controller:
        return failed(
            "holder",
            "holder_mismatch",
            f"the presentation names {holder_id} as holder but was signed by a key of {controller}",
        )
    return passed("holder", "holder_signed", f"signed by its holder {holder_id}")


def parse_presentation(value: Any) -> Mapping[str, Any]:
    """The presentation of a VC-API body's `verifiablePresentation` (an object; a JSON text is read too)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise UnreadableInput("verifiablePresentation is not JSON", code="not_json") from exc
    if not isinstance(value, Mapping):
        raise UnreadableInput("verifiablePresentation must be a presentation object", code="not_an_object")
    return value
