"""ecdsa-sd-2023 (W3C vc-di-ecdsa, selective disclosure): reading and checking a derived proof.

The issuer signs a base proof and gives it to the holder; the holder discloses some statements and presents a
derived proof. Its proofValue (multibase base64url, CBOR after the 3-byte header 0xd9 0x5d 0x01) carries the base
signature, the ephemeral public key the issuer signed each statement with, those statements' signatures, the
label map (canonical blank node label -> the issuer's HMAC-derived label) and which statements are mandatory.

Verifying (the specification's "createVerifyData" and "verify derived proof"): the revealed document's canonical
N-Quads, blank nodes relabelled through the label map, sorted; the mandatory ones hashed together; the base
signature must cover hash(proof options) || ephemeral key || hash(mandatory statements) under the issuer's key,
and every other statement must carry its ephemeral signature, in order.

A base proof (header 0xd9 0x5d 0x00, what the issuer gives the holder) is checked by replaying the issuer's
signing (ecdsa_sd_base.py), which comes down to the same check as a derived proof that discloses everything.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec

from rexvet_credentials.errors import KeyResolutionError
from rexvet_credentials.multikey import decode_ec_multikey_bytes
from rexvet_credentials.proofs.ecdsa import curve_hashes, ecdsa_valid

BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"
_GRAPH_LABEL = re.compile(r" _:(c14n\d+) \.\n?$")


@dataclass(frozen=True, slots=True)
class DerivedProof:
    base_signature: bytes
    public_key: bytes  # the ephemeral key, as multicodec bytes
    signatures: tuple[bytes, ...]
    label_map: Mapping[str, str]  # canonical label (c14nN) -> the label the issuer signed (u...)
    mandatory_indexes: tuple[int, ...]


class SdProofError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _base64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def base64url_text(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def read_proof_value(value: str) -> tuple[bool, Any]:
    """(is it a base proof, its CBOR items); SdProofError when it is neither a base nor a derived proof value."""
    if not value.startswith("u"):
        raise SdProofError("proof_malformed", "an ecdsa-sd-2023 proofValue is multibase base64url (it starts with u)")
    try:
        raw = _base64url(value[1:])
    except ValueError as exc:
        raise SdProofError("proof_malformed", f"proof.proofValue is not base64url: {exc}") from exc
    if not raw.startswith((BASE_HEADER, DERIVED_HEADER)):
        raise SdProofError("proof_malformed", "the ecdsa-sd-2023 proofValue has neither a base nor a derived header")
    try:
        return raw.startswith(BASE_HEADER), _untagged(cbor2.loads(raw[3:]))
    except (cbor2.CBORDecodeError, ValueError, RecursionError) as exc:
        raise SdProofError("proof_malformed", f"the proof value is not CBOR: {exc}") from exc


def _untagged(value: Any) -> Any:
    # early writers (the W3C test vectors among them) tag byte strings as CBOR typed arrays of uint8 (tag 64)
    if isinstance(value, cbor2.CBORTag) and value.tag == 64 and isinstance(value.value, bytes):
        return value.value
    if isinstance(value, list):
        return [_untagged(item) for item in value]
    if isinstance(value, dict):
        return {key: _untagged(item) for key, item in value.items()}
    return value


def derived_parts(parts: Any) -> DerivedProof:
    """A derived proof value's CBOR items, checked and read."""
    return _parts(parts)


def is_bytes(value: object) -> bool:
    return isinstance(value, bytes)


def list_of(item: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: isinstance(value, list) and all(item(v) for v in value)


def _is_index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_label_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, int) and isinstance(v, bytes) for k, v in value.items())


def proof_items(parts: Any, shapes: tuple[Callable[[object], bool], ...], which: str, names: str) -> list[Any]:
    """The CBOR items of a proof value, each of its expected shape; SdProofError naming them otherwise."""
    fits = isinstance(parts, list) and len(parts) == len(shapes)
    if not (fits and all(shape(part) for shape, part in zip(shapes, parts, strict=True))):
        raise SdProofError("proof_malformed", f"an ecdsa-sd-2023 {which} proof value is an array of: {names}")
    items: list[Any] = parts
    return items


def _parts(parts: Any) -> DerivedProof:
    shapes = (is_bytes, is_bytes, list_of(is_bytes), _is_label_map, list_of(_is_index))
    names = "base signature, public key, signatures (bytes), label map (integer -> bytes), mandatory indexes"
    base_signature, public_key, signatures, labels, indexes = proof_items(parts, shapes, "derived", names)
    label_map = {f"c14n{k}": "u" + base64url_text(v) for k, v in labels.items()}
    return DerivedProof(base_signature, public_key, tuple(signatures), label_map, tuple(indexes))


def relabelled_statements(nquads: str, label_map: Mapping[str, str]) -> list[str]:
    """The canonical N-Quads with every blank node relabelled through `label_map`, sorted (KeyError: a label the
    map does not have)."""
    return sorted(_relabel(line, label_map) for line in nquads.splitlines(keepends=True))


def _relabel(line: str, labels: Mapping[str, str]) -> str:
    # canonical N-Quads: subject, predicate IRI, object, optional graph, " ." -- blank nodes only in term positions
    subject, predicate, rest = line.split(" ", 2)
    if subject.startswith("_:"):
        subject = "_:" + labels[subject[2:]]
    if rest.startswith("_:"):
        term, tail = rest.split(" ", 1)
        rest = "_:" + labels[term[2:]] + " " + tail
    graph = _GRAPH_LABEL.search(rest)
    if graph is not None:
        rest = rest[: graph.start()] + " _:" + labels[graph.group(1)] + rest[graph.end(1) :]
    return f"{subject} {predicate} {rest}"


def derived_signatures_valid(
    derived: DerivedProof, options_nquads: str, document_nquads: str, public_key: ec.EllipticCurvePublicKey
) -> bool:
    digest, algorithm = curve_hashes(public_key)
    try:
        statements = relabelled_statements(document_nquads, derived.label_map)
    except (KeyError, ValueError):
        return False  # a blank node the issuer's label map does not name: not what was signed
    mandatory = set(derived.mandatory_indexes)
    if any(i < 0 or i >= len(statements) for i in mandatory):
        return False
    disclosed = [s for i, s in enumerate(statements) if i not in mandatory]
    if len(disclosed) != len(derived.signatures):
        return False
    mandatory_hash = digest("".join(statements[i] for i in sorted(mandatory)).encode()).digest()
    signed = digest(options_nquads.encode()).digest() + derived.public_key + mandatory_hash
    if not ecdsa_valid(public_key, derived.base_signature, signed, algorithm):
        return False
    try:
        ephemeral = decode_ec_multikey_bytes(derived.public_key)
    except KeyResolutionError:
        return False
    _, ephemeral_algorithm = curve_hashes(ephemeral)
    return all(
        ecdsa_valid(ephemeral, signature, statement.encode(), ephemeral_algorithm)
        for signature, statement in zip(derived.signatures, disclosed, strict=True)
    )
