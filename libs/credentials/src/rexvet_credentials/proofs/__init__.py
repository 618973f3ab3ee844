"""One embedded proof made ready to check against a key: the suites are plug-ins chosen by the proof's
cryptosuite, not branches of the verifier.

What a proof signs depends only on the credential's bytes, so it is computed once (prepare.py) and kept by the
verification cache: the canonical N-Quads of the proof options and of the document it secures (the credential
without `proof`, plus the proofs its `previousProof` names). The hash is chosen only when the key is known (an
ecdsa-rdfc-2019 proof by a P-384 key hashes with SHA-384), and each key's answer is remembered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from rexvet_credentials.data_integrity import ECDSA_RDFC_2019, ECDSA_SD_2023, suite_of
from rexvet_credentials.multikey import decode_base58btc
from rexvet_credentials.ports import PublicKey
from rexvet_credentials.proofs.ecdsa import CURVES, ecdsa_valid
from rexvet_credentials.proofs.ecdsa_sd import DerivedProof, derived_signatures_valid


@dataclass(slots=True)
class PreparedProof:
    """A proof whose shape was accepted, with the canonical forms its signature covers."""

    proof: Mapping[str, Any]
    options_nquads: str
    document_nquads: str
    derived: DerivedProof | None = None  # ecdsa-sd-2023: the derived proof value, read
    # signature results by the key's public bytes: a rotated key is checked again, a known one is not
    results: dict[bytes, bool] = field(default_factory=dict)

    @property
    def suite(self) -> str:
        return suite_of(self.proof)

    @property
    def method(self) -> str:
        return str(self.proof["verificationMethod"])

    def signature_valid(self, public_key: PublicKey) -> bool:
        raw = _raw(public_key)
        known = self.results.get(raw)
        if known is None:
            known = self.results[raw] = self._check(public_key)
        return known

    def _check(self, public_key: PublicKey) -> bool:
        suite = self.suite
        if suite == ECDSA_SD_2023:
            if self.derived is None or not isinstance(public_key, ec.EllipticCurvePublicKey):
                return False
            return derived_signatures_valid(self.derived, self.options_nquads, self.document_nquads, public_key)
        if suite == ECDSA_RDFC_2019:
            return self._ecdsa_valid(public_key)
        if not isinstance(public_key, Ed25519PublicKey):
            return False
        data = _sha256(self.options_nquads) + _sha256(self.document_nquads)
        try:
            public_key.verify(decode_base58btc(str(self.proof["proofValue"])), data)
        except (InvalidSignature, ValueError):
            return False
        return True

    def _ecdsa_valid(self, public_key: PublicKey) -> bool:
        if not isinstance(public_key, ec.EllipticCurvePublicKey) or public_key.curve.name not in CURVES:
            return False
        digest, algorithm, size = CURVES[public_key.curve.name]
        signature = decode_base58btc(str(self.proof["proofValue"]))
        if len(signature) != size:
            return False
        data = digest(self.options_nquads.encode()).digest() + digest(self.document_nquads.encode()).digest()
        return ecdsa_valid(public_key, signature, data, algorithm)


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _raw(public_key: Any) -> bytes:
    if isinstance(public_key, Ed25519PublicKey):
        return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return bytes(public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))
