"""JSON-LD to RDF through pyld, in safe mode: the general path, and the reference the fast path is tested against.

pyld silently drops what no context defines and silently skips quads with relative IRIs, either of which would
let a signature verify over less data than the credential shows. Here both are errors: a dropped property
raises through pyld's `on_property_dropped` hook, and every IRI in the expanded document is checked before any
quad is produced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pyld import jsonld

from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.errors import CanonicalizationError, DocumentLoaderError
from rexvet_credentials.nquads import Quad, iri_term, literal_term

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")


class _PropertyDropped(Exception):
    def __init__(self, term: str | None) -> None:
        super().__init__(term)
        self.term = term


def _raise_dropped(term: str | None) -> None:
    raise _PropertyDropped(term)


_VALID: set[str] = set()  # IRIs already found valid (mostly vocabulary IRIs, repeated in every credential)


def check_iri(value: str, where: str) -> None:
    """Raise unless `value` is an absolute IRI (or a blank node id) that N-Quads can carry intact."""
    if value in _VALID or value.startswith("_:"):
        return
    if _ABSOLUTE_IRI.match(value):
        if len(_VALID) < 100_000:
            _VALID.add(value)
        return
    if where == "type" and ":" not in value:
        raise CanonicalizationError(
            f"type {value!r} is not defined by any of the credential's contexts (safe mode)",
            code="undefined_term",
        )
    if ":" not in value or not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value):
        raise CanonicalizationError(
            f"{where} {value!r} is not an absolute IRI (relative IRIs are not allowed: no base is assumed)",
            code="relative_iri",
        )
    raise CanonicalizationError(
        f'{where} {value!r} is not a valid IRI (it contains a space, a control character or one of <>"{{}}|^`\\)',
        code="malformed_iri",
    )


def _check_expanded(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        if "@type" in node and isinstance(node["@type"], str) and node["@type"] != "@json":
            check_iri(node["@type"], "datatype")
        return
    for key, value in node.items():
        if key == "@id":
            if isinstance(value, str):
                check_iri(value, "id")
        elif key == "@type":
            for type_iri in value if isinstance(value, list) else [value]:
                if isinstance(type_iri, str):
                    check_iri(type_iri, "type")
        elif not key.startswith("@"):
            check_iri(key, "property")
            _check_expanded(value)
        else:
            _check_expanded(value)


def _find_cause(exc: BaseException) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DocumentLoaderError | _PropertyDropped | CanonicalizationError):
            return current
        details = getattr(current, "details", None)
        if isinstance(details, dict):
            for value in details.values():
                if isinstance(value, BaseException):
                    found = _find_cause(value)
                    if found is not None:
                        return found
        current = current.__cause__ or current.__context__
    return None


def _term(node: Mapping[str, Any]) -> str:
    if node["type"] == "blank node":
        return str(node["value"])
    if node["type"] == "IRI":
        return iri_term(node["value"])
    return literal_term(node["value"], node.get("datatype") or "", node.get("language"))


def to_quads_pyld(document: Mapping[str, Any], loader: DocumentLoader = DEFAULT_LOADER) -> list[Quad]:
    options = {"documentLoader": loader.pyld_loader, "base": None, "processingMode": "json-ld-1.1"}
    processor = jsonld.JsonLdProcessor(on_property_dropped=_raise_dropped)
    try:
        expanded = processor.expand(dict(document), options)
        _check_expanded(expanded)
        dataset = processor.to_rdf(expanded, {**options, "produceGeneralizedRdf": False})
    except CanonicalizationError:
        raise
    except Exception as exc:  # pyld raises JsonLdError wrapping the real cause, or plain errors on odd input
        cause = _find_cause(exc)
        if isinstance(cause, _PropertyDropped):
            raise CanonicalizationError(
                f"property {cause.term!r} is not defined by any of the credential's contexts (safe mode)",
                code="undefined_term",
            ) from exc
        if isinstance(cause, DocumentLoaderError | CanonicalizationError):
            raise cause from exc
        raise CanonicalizationError(f"the document is not valid JSON-LD: {exc}", code="invalid_jsonld") from exc
    quads: list[Quad] = []
    for graph_name, triples in dataset.items():
        graph = "" if graph_name == "@default" else (graph_name if graph_name.startswith("_:") else f"<{graph_name}>")
        for triple in triples:
            quads.append((_term(triple["subject"]), _term(triple["predicate"]), _term(triple["object"]), graph))
    return quads
