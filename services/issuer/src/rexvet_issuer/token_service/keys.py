"""The token service's signing keys: ES256 (P-256), one PEM file per key, named by its RFC 7638 thumbprint.

The newest key signs; every key in the directory stays published in the JWKS, so a rotated-out key keeps verifying
the tokens it signed until they expire and an operator removes the file. In development the first key is generated on
first use; production refuses to generate one (an operator provisions it).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwk

from rexvet_common.errors import ConfigurationError

ALGORITHM = "ES256"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: ec.EllipticCurvePrivateKey
    created: float

    def public_jwk(self) -> dict[str, Any]:
        public = dict(jwk.ECKey.import_key(self.private_key.public_key()).as_dict(private=False))
        return public | {"kid": self.kid, "use": "sig", "alg": ALGORITHM}


def thumbprint(private_key: ec.EllipticCurvePrivateKey) -> str:
    """RFC 7638 JWK thumbprint of the public key: a kid that names the key itself."""
    return jwk.ECKey.import_key(private_key.public_key()).thumbprint()


class SigningKeyRing:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load(self) -> list[SigningKey]:
        """Every key in the directory, newest first."""
        keys = []
        for path in sorted(self.directory.glob("*.pem")):
            private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(private_key, ec.EllipticCurvePrivateKey):
                raise ConfigurationError(f"{path} is not an EC private key; token signing keys must be P-256")
            keys.append(SigningKey(kid=path.stem, private_key=private_key, created=path.stat().st_mtime))
        return sorted(keys, key=lambda key: (key.created, key.kid), reverse=True)

    def ensure(self, *, allow_create: bool) -> SigningKey:
        """The active (newest) key, generating the first one when allowed."""
        keys = self.load() if self.directory.is_dir() else []
        if keys:
            return keys[0]
        if not allow_create:
            raise ConfigurationError(
                f"no token signing key in {self.directory}; provision a P-256 PEM there "
                "(or set REXVET_ISSUER_TOKEN_KEY_DIR); production does not generate one"
            )
        return self.create()

    def create(self) -> SigningKey:
        self.directory.mkdir(parents=True, exist_ok=True)
        private_key = ec.generate_private_key(ec.SECP256R1())
        kid = thumbprint(private_key)
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written whole under a temporary name, then renamed: another process never reads half a key.
        descriptor, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            os.fchmod(descriptor, 0o600)
            os.write(descriptor, pem)
        finally:
            os.close(descriptor)
        final = self.directory / f"{kid}.pem"
        newest_before = max((path.stat().st_mtime_ns for path in self.directory.glob("*.pem")), default=0)
        os.replace(temporary, final)
        # The newest file signs: make sure this one is newer even on a filesystem with coarse timestamps.
        if final.stat().st_mtime_ns <= newest_before:
            os.utime(final, ns=(newest_before + 1_000_000, newest_before + 1_000_000))
        return SigningKey(kid=kid, private_key=private_key, created=final.stat().st_mtime)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.load()]} if self.directory.is_dir() else {"keys": []}
