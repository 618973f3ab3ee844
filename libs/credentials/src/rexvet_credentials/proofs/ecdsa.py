"""ECDSA as the Data Integrity suites use it: the hash that goes with each curve, signatures as r || s."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

# curve -> (hash for the canonical forms, ECDSA's own hash, signature bytes)
CURVES: dict[str, tuple[Callable[[bytes], Any], hashes.HashAlgorithm, int]] = {
    "secp256r1": (hashlib.sha256, hashes.SHA256(), 64),
    "secp384r1": (hashlib.sha384, hashes.SHA384(), 96),
}


def ecdsa_valid(
    public_key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm
) -> bool:
    """An IEEE P1363 (r || s) ECDSA signature, as Data Integrity and JOSE write them."""
    half = len(signature) // 2
    der = encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
    try:
        public_key.verify(der, data, ec.ECDSA(algorithm))
    except InvalidSignature:
        return False
    return True


def curve_hashes(public_key: ec.EllipticCurvePublicKey) -> tuple[Callable[[bytes], Any], hashes.HashAlgorithm]:
    digest, algorithm, _ = CURVES.get(public_key.curve.name, CURVES["secp256r1"])
    return digest, algorithm
