"""ecdsa-sd-2023 base proofs, checked as the holder checks what the issuer gave it before deriving from it.

The base proof value (header 0xd9 0x5d 0x00) carries the base signature, the ephemeral public key, the HMAC key,
the signatures of the non-mandatory statements and the mandatory JSON pointers. Verifying it is the issuer's
signing replayed (W3C vc-di-ecdsa, "base proof transformation" and "canonicalize and group"): the document's
canonical statements, blank nodes relabelled with the HMAC of their canonical label; the statements the mandatory
pointers select are the mandatory ones. The result is the same check as a derived proof's that discloses
everything (`ecdsa_sd.derived_signatures_valid`), so it is returned in that form.

The selection follows the specification's selectJsonLd: every object a pointer passes through contributes its id
and type, the object or value it ends on is taken whole. Blank nodes are told apart by giving each id-less object
a temporary `urn:bnid:` id (skolemisation) and turning those back into blank nodes before canonicalising.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
from collections.abc import Mapping
from typing import Any

from rexvet_credentials.canonicalize import WorkLimit, canonicalize_with_labels
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.nquads import Quad
from rexvet_credentials.proofs.ecdsa_sd import (
    DerivedProof,
    SdProofError,
    base64url_text,
    is_bytes,
    list_of,
    proof_items,
)
from rexvet_credentials.rdf import to_quads

_SKOLEM = "urn:bnid:"


def base_as_derived(parts: Any, document: Mapping[str, Any], loader: DocumentLoader, limit: WorkLimit) -> DerivedProof:
    """The base proof's checks in the form of a derived proof disclosing the whole document."""
    shapes = (is_bytes, is_bytes, is_bytes, list_of(is_bytes), list_of(lambda v: isinstance(v, str)))
    names = "base signature, public key, HMAC key, signatures (bytes), mandatory pointers (strings)"
    base_signature, public_key, hmac_key, signatures, pointers = proof_items(parts, shapes, "base", names)
    skolemized = _skolemized(document)
    _, labels = canonicalize_with_labels(_deskolemized(to_quads(skolemized, loader)), limit)
    # the issuer's label for each canonical label: u + base64url(HMAC-SHA256(key, "c14nN"))
    label_map = {
        c14n[2:]: "u" + base64url_text(hmac.new(hmac_key, c14n[2:].encode(), hashlib.sha256).digest())
        for c14n in labels.values()
    }
    by_input = {node: label_map[c14n[2:]] for node, c14n in labels.items()}
    full = sorted(_lines(_deskolemized(to_quads(skolemized, loader)), by_input))
    mandatory: set[str] = set()
    if pointers:
        selection = _select(skolemized, pointers)
        mandatory = set(_lines(_deskolemized(to_quads(selection, loader)), by_input))
    indexes = tuple(i for i, statement in enumerate(full) if statement in mandatory)
    return DerivedProof(base_signature, public_key, tuple(signatures), label_map, indexes)


def _skolemized(document: Mapping[str, Any]) -> dict[str, Any]:
    copied = copy.deepcopy(dict(document))
    counter = itertools.count()

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            if "@value" in value:
                return
            if "id" not in value and "@id" not in value:
                value["id"] = f"{_SKOLEM}b{next(counter)}"
            for key, item in value.items():
                if key != "@context":
                    walk(item)

    walk(copied)
    return copied


def _deskolemized(quads: list[Quad]) -> list[Quad]:
    def term(value: str) -> str:
        return "_:" + value[len(_SKOLEM) + 1 : -1] if value.startswith("<" + _SKOLEM) else value

    return [(term(s), p, term(o), term(g) if g else g) for s, p, o, g in quads]


def _lines(quads: list[Quad], labels: Mapping[str, str]) -> list[str]:
    def term(value: str) -> str:
        found = labels.get(value)
        return "_:" + found if found is not None else value

    out = []
    for s, p, o, g in quads:
        out.append(f"{term(s)} {p} {term(o)} {term(g)} .\n" if g else f"{term(s)} {p} {term(o)} .\n")
    return out


def _initial(value: Mapping[str, Any]) -> dict[str, Any]:
    selection: dict[str, Any] = {}
    if isinstance(value.get("id"), str) and not value["id"].startswith("_:"):
        selection["id"] = value["id"]
    if "type" in value:
        selection["type"] = value["type"]
    return selection


def _select(document: dict[str, Any], pointers: list[str]) -> dict[str, Any]:
    selection: dict[str, Any] = _initial(document)
    arrays: list[list[Any]] = []
    for pointer in pointers:
        _select_one(document, pointer, selection, arrays)
    for array in arrays:
        array[:] = [item for item in array if item is not _HOLE]
    selection["@context"] = copy.deepcopy(document["@context"])
    return selection


_HOLE = object()


def _steps(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise SdProofError("proof_malformed", f"mandatory pointer {pointer!r} is not a JSON pointer")
    return [step.replace("~1", "/").replace("~0", "~") for step in pointer[1:].split("/")]


def _select_one(document: dict[str, Any], pointer: str, selection: dict[str, Any], arrays: list[list[Any]]) -> None:
    value: Any = document
    selected_parent: Any = None
    selected: Any = selection
    key: str | int = ""
    for step in _steps(pointer):
        selected_parent = selected
        key = int(step) if isinstance(value, list) and step.isdigit() else step
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError) as exc:
            raise SdProofError("proof_malformed", f"mandatory pointer {pointer!r} does not match the document") from exc
        current = selected_parent[key] if _has(selected_parent, key) else _HOLE
        if current is _HOLE:
            if isinstance(value, list):
                current = [_HOLE] * len(value)
                arrays.append(current)
            else:
                current = _initial(value) if isinstance(value, dict) else None
            selected_parent[key] = current
        selected = current
    if isinstance(value, dict):
        selected_parent[key] = {**(selected if isinstance(selected, dict) else {}), **copy.deepcopy(value)}
    else:
        selected_parent[key] = copy.deepcopy(value)


def _has(container: Any, key: str | int) -> bool:
    if isinstance(container, list):
        return isinstance(key, int) and 0 <= key < len(container) and container[key] is not _HOLE
    return isinstance(container, dict) and key in container
