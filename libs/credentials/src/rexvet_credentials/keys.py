"""Key pairs: generation and the JSON key file the CLI reads and writes.

Ed25519 keys are Multikeys named by did:key (controller = the DID), the key type eddsa-rdfc-2022 signs with.
P-256 and RSA keys are for VC-JWT (ES256, RS256) and are written as JWKs.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rexvet_credentials.errors import SigningError
from rexvet_credentials.multikey import (
    decode_ed25519_secret,
    encode_ed25519_public,
    encode_ed25519_secret,
    encode_p256_public,
)

KeyType = Literal["ed25519", "p256", "rsa"]


@dataclass(frozen=True, slots=True)
class Ed25519SigningKey:
    """An Ed25519 private key with the verification method id and controller it signs as."""

    private_key: Ed25519PrivateKey
    verification_method: str
    controller: str

    @classmethod
    def generate(cls, controller: str | None = None, key_id: str | None = None) -> Ed25519SigningKey:
        """A fresh key; by default named by its did:key (controller `did:key:z6Mk...`)."""
        return cls.from_private_key(Ed25519PrivateKey.generate(), controller=controller, key_id=key_id)

    @classmethod
    def from_private_key(
        cls, private_key: Ed25519PrivateKey, *, controller: str | None = None, key_id: str | None = None
    ) -> Ed25519SigningKey:
        multibase = encode_ed25519_public(private_key.public_key())
        if controller is None:
            controller = f"did:key:{multibase}"
        return cls(private_key, key_id or f"{controller}#{multibase}", controller)

    @property
    def public_key_multibase(self) -> str:
        return encode_ed25519_public(self.private_key.public_key())

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "Multikey",
            "id": self.verification_method,
            "controller": self.controller,
            "publicKeyMultibase": self.public_key_multibase,
            "secretKeyMultibase": encode_ed25519_secret(self.private_key),
        }

    @classmethod
    def from_json(cls, data: Any) -> Ed25519SigningKey:
        if not isinstance(data, dict) or data.get("type") != "Multikey" or "secretKeyMultibase" not in data:
            raise SigningError(
                "the key file is not an Ed25519 Multikey with secretKeyMultibase "
                "(create one with `rexvet key generate --type ed25519`)",
                code="unusable_key",
            )
        try:
            private_key = decode_ed25519_secret(str(data["secretKeyMultibase"]))
        except ValueError as exc:
            raise SigningError(f"secretKeyMultibase: {exc}", code="unusable_key") from exc
        key = cls.from_private_key(private_key, controller=data.get("controller"), key_id=data.get("id"))
        if data.get("publicKeyMultibase") not in (None, key.public_key_multibase):
            raise SigningError("publicKeyMultibase does not belong to secretKeyMultibase", code="unusable_key")
        return key


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_fixed(value: int, length: int) -> str:
    return base64.urlsafe_b64encode(value.to_bytes(length, "big")).rstrip(b"=").decode("ascii")


def generate_key_document(key_type: KeyType) -> dict[str, Any]:
    """A new key pair as the JSON document `rexvet key generate` prints (it contains the private key)."""
    if key_type == "ed25519":
        return Ed25519SigningKey.generate().to_json()
    if key_type == "p256":
        p256 = ec.generate_private_key(ec.SECP256R1())
        numbers = p256.private_numbers()
        public = numbers.public_numbers
        multibase = encode_p256_public(p256.public_key())
        did = f"did:key:{multibase}"
        jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64url_fixed(public.x, 32),
            "y": _b64url_fixed(public.y, 32),
        }
        return {
            "type": "JsonWebKey",
            "id": f"{did}#{multibase}",
            "controller": did,
            "publicKeyMultibase": multibase,
            "publicKeyJwk": jwk,
            "privateKeyJwk": {**jwk, "d": _b64url_fixed(numbers.private_value, 32)},
        }
    if key_type == "rsa":
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        priv = rsa_key.private_numbers()
        pub = priv.public_numbers
        public_jwk = {"kty": "RSA", "n": _b64url_uint(pub.n), "e": _b64url_uint(pub.e)}
        private_jwk = {
            **public_jwk,
            "d": _b64url_uint(priv.d),
            "p": _b64url_uint(priv.p),
            "q": _b64url_uint(priv.q),
            "dp": _b64url_uint(priv.dmp1),
            "dq": _b64url_uint(priv.dmq1),
            "qi": _b64url_uint(priv.iqmp),
        }
        return {"type": "JsonWebKey", "publicKeyJwk": public_jwk, "privateKeyJwk": private_jwk}
    raise ValueError(f"unknown key type {key_type!r}: use ed25519, p256 or rsa")


def load_signing_key(text: str) -> Ed25519SigningKey:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SigningError(f"the key file is not JSON: {exc}", code="unusable_key") from exc
    return Ed25519SigningKey.from_json(data)
