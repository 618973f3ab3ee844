"""Issuers' private keys at rest: AES-256-GCM under a key-encryption key (KEK) from the settings.

The stored document holds only the ciphertext; the KEK lives outside the database (an environment variable, a
Kubernetes Secret), so a copy of the database alone signs nothing. The ciphertext is bound to its tenant and key id
(GCM's associated data): a ciphertext moved to another issuer's record does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from rexvet_common.errors import ConfigurationError

KEK_BYTES = 32
NONCE_BYTES = 12
FORMAT = "aes256gcm"


class KeyDecryptionError(Exception):
    """A stored key does not decrypt under this KEK (wrong KEK, or a record tampered with)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_kek(text: str) -> bytes:
    try:
        raw = _unb64(text.strip())
    except (binascii.Error, ValueError) as exc:
        raise ConfigurationError("REXVET_ISSUER_KEY_ENCRYPTION_KEY must be base64url") from exc
    if len(raw) != KEK_BYTES:
        raise ConfigurationError(
            f"REXVET_ISSUER_KEY_ENCRYPTION_KEY must hold {KEK_BYTES} bytes (base64url), not {len(raw)}; "
            'generate one with: python -c "import secrets,base64;print(base64.urlsafe_b64encode('
            'secrets.token_bytes(32)).decode())"'
        )
    return raw


def development_kek(path: Path) -> bytes:
    """The KEK kept in the data directory, generated on first use: development only (the caller checks)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(_b64(secrets.token_bytes(KEK_BYTES)))
        # link, not replace: two processes starting at once keep the first KEK and both read it
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return parse_kek(path.read_text())


class KeyVault:
    def __init__(self, kek: bytes) -> None:
        if len(kek) != KEK_BYTES:
            raise ValueError(f"a key-encryption key is {KEK_BYTES} bytes")
        self._aead = AESGCM(kek)

    def seal(self, private_key: Ed25519PrivateKey, *, tenant: str, key_id: str) -> str:
        raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, raw, _associated(tenant, key_id))
        return f"{FORMAT}:{_b64(nonce)}:{_b64(sealed)}"

    def open(self, sealed: str, *, tenant: str, key_id: str) -> Ed25519PrivateKey:
        try:
            scheme, nonce, ciphertext = sealed.split(":")
            if scheme != FORMAT:
                raise ValueError(scheme)
            raw = self._aead.decrypt(_unb64(nonce), _unb64(ciphertext), _associated(tenant, key_id))
        except (ValueError, binascii.Error, InvalidTag) as exc:
            raise KeyDecryptionError(
                f"the signing key {key_id} of {tenant} does not decrypt: is REXVET_ISSUER_KEY_ENCRYPTION_KEY the "
                "one it was stored with?"
            ) from exc
        return Ed25519PrivateKey.from_private_bytes(raw)


def _associated(tenant: str, key_id: str) -> bytes:
    return f"rexvet-issuer-key\x00{tenant}\x00{key_id}".encode()
