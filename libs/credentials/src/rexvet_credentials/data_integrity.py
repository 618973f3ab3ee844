"""Data Integrity proofs: `eddsa-rdfc-2022` sign and verify; the deprecated `eddsa-2022` and
`Ed25519Signature2020`, `ecdsa-rdfc-2019` (P-256, P-384) and `ecdsa-sd-2023` (derived proofs) verify
(`proofs/`).

The Ed25519 suites and ecdsa-rdfc-2019 sign the same thing: the hash of the canonical proof options (the proof
without `proofValue`, under the document's `@context`) followed by the hash of the canonical document without
`proof` (SHA-256; SHA-384 for a P-384 key).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.multikey import decode_base58btc, encode_base58btc
from rexvet_credentials.ports import PublicKey
from rexvet_credentials.rdf import canonical_nquads

CRYPTOSUITE = "eddsa-rdfc-2022"
DEPRECATED_CRYPTOSUITES = frozenset({"eddsa-2022"})
ED25519_SIGNATURE_2020 = "Ed25519Signature2020"
ECDSA_RDFC_2019 = "ecdsa-rdfc-2019"
ECDSA_SD_2023 = "ecdsa-sd-2023"
# the cryptosuites of DataIntegrityProof that are verified, and the sizes their base58btc proofValue may decode to
_SIGNATURE_SIZES = {CRYPTOSUITE: (64,), "eddsa-2022": (64,), ECDSA_RDFC_2019: (64, 96)}
VERIFIED_CRYPTOSUITES = frozenset({*_SIGNATURE_SIZES, ECDSA_SD_2023})

# XML Schema dateTime, as Data Integrity requires for `created` / `expires`.
_DATETIME = re.compile(
    r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$"
)


def is_xsd_datetime(value: object) -> bool:
    return isinstance(value, str) and _DATETIME.match(value) is not None


def format_datetime(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ProofProblem:
    """Why a proof is not acceptable before or instead of checking its signature."""

    code: str
    message: str


def proof_options(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = document["@context"]
    return options


def hash_data(document: Mapping[str, Any], proof: Mapping[str, Any], loader: DocumentLoader = DEFAULT_LOADER) -> bytes:
    """sha256(canonical proof options) || sha256(canonical document without proof): the 64 signed bytes."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof_hash = hashlib.sha256(canonical_nquads(proof_options(document, proof), loader).encode()).digest()
    doc_hash = hashlib.sha256(canonical_nquads(unsecured, loader).encode()).digest()
    return proof_hash + doc_hash


def create_proof(
    document: Mapping[str, Any],
    signing_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: datetime | str | None = None,
    proof_purpose: str = "assertionMethod",
    loader: DocumentLoader = DEFAULT_LOADER,
) -> dict[str, Any]:
    """An `eddsa-rdfc-2022` DataIntegrityProof over `document` (which must not contain `proof`)."""
    if created is None:
        created = datetime.now(UTC)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created if isinstance(created, str) else format_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = signing_key.sign(hash_data(document, proof, loader))
    return {**proof, "proofValue": encode_base58btc(signature)}


def suite_of(proof: Mapping[str, Any]) -> str:
    """The suite a proof is verified with: its cryptosuite, or its type for the older proof types."""
    suite = proof.get("cryptosuite") if proof.get("type") == "DataIntegrityProof" else proof.get("type")
    return str(suite)


def check_proof_shape(proof: object, expected_purpose: str = "assertionMethod") -> ProofProblem | None:
    """The proof's own properties, before any key is looked up. None when acceptable."""
    if not isinstance(proof, Mapping):
        return ProofProblem("proof_malformed", "proof must be a JSON object")
    proof_type = proof.get("type")
    if proof_type == "DataIntegrityProof":
        suite = proof.get("cryptosuite")
        if suite not in VERIFIED_CRYPTOSUITES:
            return ProofProblem(
                "unsupported_cryptosuite",
                f"cryptosuite {suite!r} is not supported (verified: {', '.join(sorted(VERIFIED_CRYPTOSUITES))})",
            )
    elif proof_type != ED25519_SIGNATURE_2020:
        return ProofProblem(
            "unsupported_proof_type",
            f"proof type {proof_type!r} is not supported (DataIntegrityProof or Ed25519Signature2020)",
        )
    if proof.get("proofPurpose") != expected_purpose:
        return ProofProblem(
            "wrong_proof_purpose",
            f"proofPurpose is {proof.get('proofPurpose')!r}; a credential proof must be {expected_purpose!r}",
        )
    if not isinstance(proof.get("verificationMethod"), str):
        return ProofProblem("proof_malformed", "proof.verificationMethod must be a string (a key id)")
    if "created" in proof and not is_xsd_datetime(proof["created"]):
        return ProofProblem(
            "proof_created_malformed",
            f"proof.created {proof['created']!r} is not an XML Schema dateTime (e.g. 2024-01-01T00:00:00Z)",
        )
    if "expires" in proof and not is_xsd_datetime(proof["expires"]):
        return ProofProblem(
            "proof_expires_malformed", f"proof.expires {proof['expires']!r} is not an XML Schema dateTime"
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        return ProofProblem("proof_malformed", "proof.proofValue must be a multibase string")
    suite = suite_of(proof)
    if suite == ECDSA_SD_2023:
        return None  # a CBOR structure, read by proofs/ecdsa_sd.py
    try:
        signature = decode_base58btc(value)
    except ValueError as exc:
        return ProofProblem("proof_malformed", f"proof.proofValue: {exc}")
    sizes = _SIGNATURE_SIZES.get(suite, (64,))
    if len(signature) not in sizes:
        expected = " or ".join(str(n) for n in sizes)
        return ProofProblem("proof_malformed", f"proof.proofValue decodes to {len(signature)} bytes, not {expected}")
    return None


def signature_valid(signed_bytes: bytes, proof: Mapping[str, Any], public_key: PublicKey) -> bool:
    if not isinstance(public_key, Ed25519PublicKey):
        return False
    try:
        public_key.verify(decode_base58btc(proof["proofValue"]), signed_bytes)
    except (InvalidSignature, ValueError):
        return False
    return True
