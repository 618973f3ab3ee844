"""Signing keys for VC-JWT, read from the CLI's key files, and the JOSE algorithm each key type uses.

One algorithm per key type, fixed here: the verifier derives the expected key type from `alg` and refuses a
mismatch, which is what stops algorithm confusion (an RSA public key used as an HMAC secret, and the like).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from joserfc import jwk
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jws import JWSRegistry

from rexvet_credentials.errors import SigningError
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.ports import PublicKey

# The algorithms rexvet accepts. `none`, HS* and anything else are refused on verify. rexvet signs Ed25519 as
# `EdDSA` (what OB 3.0 peers and the `jose` package expect today) and also accepts RFC 9864's `Ed25519`.
ALLOWED_ALGORITHMS = ("RS256", "ES256", "EdDSA", "Ed25519")

PrivateKey = Ed25519PrivateKey | ec.EllipticCurvePrivateKey | RSAPrivateKey


def algorithm_for(key: PrivateKey | PublicKey) -> str:
    if isinstance(key, Ed25519PrivateKey | Ed25519PublicKey):
        return "EdDSA"
    if isinstance(key, RSAPrivateKey | RSAPublicKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise SigningError(f"no VC-JWT algorithm for a {type(key).__name__} key", code="unusable_key")


def key_matches_algorithm(key: PublicKey, alg: str) -> bool:
    try:
        return algorithm_for(key) == ("EdDSA" if alg == "Ed25519" else alg)
    except SigningError:
        return False


@contextmanager
def quiet_eddsa_deprecation() -> Iterator[None]:
    """joserfc warns that RFC 9864 deprecates the polymorphic `EdDSA`; it is still the interoperable name."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)
        yield


def jws_registry(alg: str, *, max_payload: int = 4 * 1024 * 1024) -> JWSRegistry:
    """joserfc's registry limited to `alg`, with room for real credentials: a header carrying an RSA `jwk` is
    over joserfc's default 512 bytes, and credentials with embedded images exceed its 128 kB payload default."""
    registry = JWSRegistry(algorithms=[alg], strict_check_header=False)
    registry.max_header_length = 16 * 1024
    registry.max_payload_length = max_payload
    registry.max_signature_length = 2048
    return registry


def joserfc_key(key: PrivateKey | PublicKey) -> jwk.Key:
    if isinstance(key, Ed25519PrivateKey | Ed25519PublicKey):
        return jwk.OKPKey.import_key(key)
    if isinstance(key, RSAPrivateKey | RSAPublicKey):
        return jwk.RSAKey.import_key(key)
    return jwk.ECKey.import_key(key)


@dataclass(frozen=True, slots=True)
class JwtSigningKey:
    """A private key, the algorithm it signs with, and the `kid` written in the header (None: no kid)."""

    private_key: PrivateKey
    kid: str | None
    controller: str | None

    @property
    def alg(self) -> str:
        return algorithm_for(self.private_key)


def load_jwt_signing_key(data: Mapping[str, Any]) -> JwtSigningKey:
    """A key file as `rexvet key generate` writes it: Ed25519 Multikey, or JsonWebKey with privateKeyJwk."""
    if data.get("type") == "Multikey":
        ed = Ed25519SigningKey.from_json(dict(data))
        return JwtSigningKey(ed.private_key, ed.verification_method, ed.controller)
    private_jwk = data.get("privateKeyJwk")
    if not isinstance(private_jwk, Mapping):
        raise SigningError(
            "the key file has neither secretKeyMultibase (Multikey) nor privateKeyJwk (JsonWebKey)", code="unusable_key"
        )
    try:
        imported = jwk.import_key(dict(private_jwk))
    except (JoseError, ValueError, TypeError) as exc:
        raise SigningError(f"privateKeyJwk: {exc}", code="unusable_key") from exc
    raw = imported.raw_value
    if not isinstance(raw, Ed25519PrivateKey | ec.EllipticCurvePrivateKey | RSAPrivateKey):
        raise SigningError("privateKeyJwk is not an Ed25519, P-256 or RSA private key", code="unusable_key")
    algorithm_for(raw)  # refuses curves other than P-256
    kid = data.get("id")
    controller = data.get("controller")
    return JwtSigningKey(
        raw, kid if isinstance(kid, str) else None, controller if isinstance(controller, str) else None
    )
