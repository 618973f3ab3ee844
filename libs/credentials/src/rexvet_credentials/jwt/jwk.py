"""JSON Web Keys <-> the `cryptography` keys the engine's ports carry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from joserfc import jwk
from joserfc.errors import JoseError

from rexvet_credentials.errors import KeyResolutionError
from rexvet_credentials.ports import PublicKey

SUPPORTED_CURVES = frozenset({"Ed25519", "P-256", "P-384"})


def public_key_from_jwk(data: Mapping[str, Any]) -> PublicKey:
    """The public part of a JWK (OKP Ed25519, EC P-256/P-384, RSA). Symmetric keys are refused: a verification
    method published in a document must never be a shared secret (that is how algorithm confusion starts)."""
    kty = data.get("kty")
    if kty not in ("OKP", "EC", "RSA"):
        raise KeyResolutionError(f"unsupported JWK key type {kty!r}", code="unsupported_key")
    if kty != "RSA" and data.get("crv") not in SUPPORTED_CURVES:
        raise KeyResolutionError(f"unsupported JWK curve {data.get('crv')!r}", code="unsupported_key")
    public_only = {k: v for k, v in data.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "oth")}
    try:
        key = jwk.import_key(dict(public_only))
    except (JoseError, ValueError, TypeError) as exc:
        raise KeyResolutionError(f"invalid JWK: {exc}", code="unsupported_key") from exc
    raw = key.raw_value
    if isinstance(raw, Ed25519PublicKey | EllipticCurvePublicKey | RSAPublicKey):
        return raw
    raise KeyResolutionError("the JWK is not an Ed25519, EC or RSA public key", code="unsupported_key")


def public_jwk(key: PublicKey | Ed25519PrivateKey | EllipticCurvePrivateKey | RSAPrivateKey) -> dict[str, Any]:
    """The public JWK of a key (private keys give their public half)."""
    if isinstance(key, Ed25519PrivateKey | EllipticCurvePrivateKey | RSAPrivateKey):
        key = key.public_key()
    if isinstance(key, Ed25519PublicKey):
        imported: jwk.Key = jwk.OKPKey.import_key(key)
    elif isinstance(key, EllipticCurvePublicKey):
        imported = jwk.ECKey.import_key(key)
    else:
        imported = jwk.RSAKey.import_key(key)
    return dict(imported.as_dict(private=False))
