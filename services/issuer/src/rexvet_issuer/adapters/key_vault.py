"""Issuers' private keys at rest: AES-256-GCM under a key-encryption key (KEK) from the settings.

The stored document holds only the ciphertext; the KEK lives outside the database (an environment variable, a
Kubernetes Secret), so a copy of the database alone signs nothing. The ciphertext is bound to its tenant and key id
(GCM's associated data): a ciphertext moved to another issuer's record does not decrypt. Each ciphertext names its
KEK by a short hash, so a KEK can be rotated: with the former one given as previous, the service re-seals every
stored key under the new one at start, after which the former one can be dropped.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Sequence
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


def parse_kek(text: str, *, name: str = "REXVET_ISSUER_KEY_ENCRYPTION_KEY") -> bytes:
    try:
        raw = _unb64(text.strip())
    except (binascii.Error, ValueError) as exc:
        raise ConfigurationError(f"{name} must be base64url") from exc
    if len(raw) != KEK_BYTES:
        raise ConfigurationError(
            f"{name} must hold {KEK_BYTES} bytes (base64url), not {len(raw)}; "
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


def kek_id(kek: bytes) -> str:
    """A short public name of a KEK, stored beside each ciphertext so the right KEK is found after a rotation."""
    return _b64(hashlib.sha256(b"rexvet-issuer-kek-id\x00" + kek).digest()[:6])


class KeyVault:
    """Seals under the current KEK; opens what the current or a previous KEK sealed (a KEK rotation in progress)."""

    def __init__(self, kek: bytes, previous: Sequence[bytes] = ()) -> None:
        for key in (kek, *previous):
            if len(key) != KEK_BYTES:
                raise ValueError(f"a key-encryption key is {KEK_BYTES} bytes")
        self.current_id = kek_id(kek)
        self._aeads = {kek_id(key): AESGCM(key) for key in (*previous, kek)}

    def seal(self, private_key: Ed25519PrivateKey, *, tenant: str, key_id: str) -> str:
        raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aeads[self.current_id].encrypt(nonce, raw, _associated(tenant, key_id))
        return f"{FORMAT}:{self.current_id}:{_b64(nonce)}:{_b64(sealed)}"

    def sealed_under_current(self, sealed: str) -> bool:
        return sealed.split(":")[1:2] == [self.current_id]

    def open(self, sealed: str, *, tenant: str, key_id: str) -> Ed25519PrivateKey:
        try:
            parts = sealed.split(":")
            if len(parts) == 3:  # the first format named no KEK: try each
                parts = [parts[0], "", *parts[1:]]
            scheme, kek, nonce, ciphertext = parts
            candidates = [self._aeads[kek]] if kek in self._aeads else [] if kek else list(self._aeads.values())
            if scheme != FORMAT or not candidates:
                raise ValueError(scheme)
            raw = _decrypt_with_any(candidates, _unb64(nonce), _unb64(ciphertext), _associated(tenant, key_id))
        except (ValueError, binascii.Error, InvalidTag) as exc:
            raise KeyDecryptionError(
                f"the signing key {key_id} of {tenant} does not decrypt: it was sealed under another key-encryption "
                "key than REXVET_ISSUER_KEY_ENCRYPTION_KEY (during a rotation, give the former one in "
                "REXVET_ISSUER_PREVIOUS_KEY_ENCRYPTION_KEYS)"
            ) from exc
        return Ed25519PrivateKey.from_private_bytes(raw)

    def reseal(self, sealed: str, *, tenant: str, key_id: str) -> str:
        """The same private key sealed under the current KEK (unchanged when it already is)."""
        if self.sealed_under_current(sealed):
            return sealed
        return self.seal(self.open(sealed, tenant=tenant, key_id=key_id), tenant=tenant, key_id=key_id)


def _decrypt_with_any(candidates: list[AESGCM], nonce: bytes, ciphertext: bytes, associated: bytes) -> bytes:
    for aead in candidates[:-1]:
        try:
            return aead.decrypt(nonce, ciphertext, associated)
        except InvalidTag:
            continue
    return candidates[-1].decrypt(nonce, ciphertext, associated)


def _associated(tenant: str, key_id: str) -> bytes:
    return f"rexvet-issuer-key\x00{tenant}\x00{key_id}".encode()
