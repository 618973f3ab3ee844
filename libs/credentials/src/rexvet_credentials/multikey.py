"""Multikey / multibase encodings of public and secret keys (base58btc, multicodec prefixes)."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from rexvet_credentials.errors import KeyResolutionError
from rexvet_credentials.ports import PublicKey

ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
P256_PUB = b"\x80\x24"
P256_PRIV = b"\x86\x26"
P384_PUB = b"\x81\x24"


_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}


def b58decode(text: str) -> bytes:
    """Base58btc, with Python's big integers doing the base conversion in one step (the `base58` package
    converts digit by digit, which showed up as the largest cost of re-verifying a cached credential)."""
    number = 0
    try:
        for char in text:
            number = number * 58 + _INDEX[char]
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not a base58btc character") from exc
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + (number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b"")


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def decode_base58btc(value: str) -> bytes:
    if not value.startswith("z"):
        raise ValueError(f"{value[:12]!r}... is not multibase base58btc (it must start with 'z')")
    return b58decode(value[1:])


def encode_base58btc(data: bytes) -> str:
    return "z" + b58encode(data)


def encode_ed25519_public(key: Ed25519PublicKey) -> str:
    return encode_base58btc(ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def encode_ed25519_secret(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    return encode_base58btc(ED25519_PRIV + key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def decode_ed25519_secret(value: str) -> Ed25519PrivateKey:
    raw = decode_base58btc(value)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise ValueError("not an Ed25519 secret Multikey (expected multicodec 0x1300 and 32 bytes)")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def encode_p256_public(key: ec.EllipticCurvePublicKey) -> str:
    return encode_base58btc(P256_PUB + key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint))


def decode_public_multikey(value: str) -> PublicKey:
    """An Ed25519, P-256 or P-384 public key from its Multikey `publicKeyMultibase`."""
    try:
        raw = decode_base58btc(value)
    except ValueError as exc:
        raise KeyResolutionError(str(exc), code="unsupported_key") from exc
    if raw.startswith(ED25519_PUB) and len(raw) == 34:
        return Ed25519PublicKey.from_public_bytes(raw[2:])
    if raw.startswith(P256_PUB) and len(raw) == 35:
        return _point(ec.SECP256R1(), raw[2:])
    if raw.startswith(P384_PUB) and len(raw) == 51:
        return _point(ec.SECP384R1(), raw[2:])
    raise KeyResolutionError(
        "publicKeyMultibase is not an Ed25519 (0xed), P-256 (0x1200) or P-384 (0x1201) Multikey",
        code="unsupported_key",
    )


def decode_ec_multikey_bytes(raw: bytes) -> ec.EllipticCurvePublicKey:
    """A P-256 or P-384 public key from its multicodec bytes (ecdsa-sd-2023 carries its ephemeral key so)."""
    if raw.startswith(P256_PUB) and len(raw) == 35:
        return _point(ec.SECP256R1(), raw[2:])
    if raw.startswith(P384_PUB) and len(raw) == 51:
        return _point(ec.SECP384R1(), raw[2:])
    raise KeyResolutionError("not a compressed P-256 or P-384 Multikey", code="unsupported_key")


def encode_p384_public(key: ec.EllipticCurvePublicKey) -> str:
    return encode_base58btc(P384_PUB + key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint))


def _point(curve: ec.EllipticCurve, data: bytes) -> ec.EllipticCurvePublicKey:
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, data)
    except ValueError as exc:
        raise KeyResolutionError(f"the Multikey is not a point of {curve.name}", code="unsupported_key") from exc
