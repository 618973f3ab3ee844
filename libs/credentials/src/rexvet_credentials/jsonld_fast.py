"""The fast JSON-LD-to-RDF path: expansion and RDF conversion in one walk, over memoised pinned contexts.

It follows the JSON-LD 1.1 expansion rules that credentials exercise (type-scoped contexts that do not propagate
into nested nodes, property-scoped contexts, @graph containers for proofs, @list, typed values) and is held to
pyld's output by differential tests. Safe mode is built in: a property or type that no context defines, and any
id or IRI that is relative or malformed, is an error. Anything outside the subset raises `Unsupported`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rexvet_credentials.active_context import EMPTY, ActiveContext, Term
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.errors import CanonicalizationError
from rexvet_credentials.jsonld_context import Unsupported, expand_document_iri, expand_vocab, process
from rexvet_credentials.jsonld_pyld import check_iri
from rexvet_credentials.nquads import Quad, literal_term

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = f"<{RDF}type>"
RDF_FIRST = f"<{RDF}first>"
RDF_REST = f"<{RDF}rest>"
RDF_NIL = f"<{RDF}nil>"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
XSD_BOOLEAN = XSD + "boolean"
MAX_DEPTH = 64
_SKIP, _ID, _PROPERTY = "skip", "id", "property"


class _Writer:
    __slots__ = ("blank_ids", "counter", "loader", "quads")

    def __init__(self, loader: DocumentLoader) -> None:
        self.loader = loader
        self.quads: list[Quad] = []
        self.counter = 0
        self.blank_ids: dict[str, str] = {}

    def blank(self) -> str:
        self.counter += 1
        return f"_:b{self.counter}"

    def node_id(self, active: ActiveContext, value: Any) -> str:
        if not isinstance(value, str):
            raise CanonicalizationError(f"id {value!r} must be a string", code="invalid_jsonld")
        if value.startswith("_:"):
            label = self.blank_ids.get(value)
            if label is None:
                label = self.blank_ids[value] = self.blank()
            return label
        iri = expand_document_iri(active, value)
        check_iri(iri, "id")
        return f"<{iri}>"

    def node(self, element: Mapping[str, Any], active: ActiveContext, graph: str, depth: int) -> str:
        """Emit the quads of a node object; return its subject term."""
        if depth > MAX_DEPTH:
            raise CanonicalizationError(f"the document nests deeper than {MAX_DEPTH} levels", code="invalid_jsonld")
        if active.previous is not None:
            # type-scoped contexts do not apply to nested node objects (JSON-LD 1.1 expansion, step 7)
            active = active.previous
        local = element.get("@context")
        if local is not None:
            active = process(active, local, self.loader, cacheable=_cacheable(local))
        type_scoped = active
        types: list[str] = []
        for key, value in element.items():
            if expand_vocab(type_scoped, key) == "@type":
                for item in value if isinstance(value, list) else [value]:
                    if not isinstance(item, str):
                        raise CanonicalizationError("@type values must be strings", code="invalid_jsonld")
                    types.append(item)
        if types:
            active = self._apply_type_scopes(type_scoped, tuple(sorted(types)))

        plans = active.plans
        steps = []
        subject: str | None = None
        for key in sorted(element):
            plan = plans.get(key)
            if plan is None:
                plan = self._plan(active, type_scoped, key)
            kind = plan[0]
            if kind is _ID:
                if subject is not None:
                    raise CanonicalizationError("a node has more than one id", code="invalid_jsonld")
                subject = self.node_id(active, element[key])
            elif kind is _PROPERTY:
                steps.append((plan, element[key]))
        if subject is None:
            subject = self.blank()
        quads = self.quads
        for type_name in types:
            iri = expand_vocab(type_scoped, type_name)
            if iri is None:
                raise CanonicalizationError(
                    f"type {type_name!r} is not defined by any of the credential's contexts (safe mode)",
                    code="undefined_term",
                )
            check_iri(iri, "type")
            quads.append((subject, RDF_TYPE, f"<{iri}>", graph))
        for (_, predicate, term, scalar_context, node_context), value in steps:
            self.property_values(subject, predicate, term, value, (scalar_context, node_context), graph, depth)
        return subject

    def _apply_type_scopes(self, type_scoped: ActiveContext, types: tuple[str, ...]) -> ActiveContext:
        found = type_scoped.type_scoped.get(types)
        if found is None:
            found = type_scoped
            for type_name in types:
                term = type_scoped.terms.get(type_name)
                if term is not None and term.scoped is not None:
                    found = process(found, term.scoped, self.loader, propagate=False)
            type_scoped.type_scoped[types] = found
        return found

    def _plan(self, active: ActiveContext, type_scoped: ActiveContext, key: str) -> tuple[Any, ...]:
        """How `key` is handled in `active` (memoised on the context; errors are not memoised)."""
        if key == "@context" or expand_vocab(type_scoped, key) == "@type":
            plan: tuple[Any, ...] = (_SKIP,)
        else:
            term = active.terms.get(key)
            iri = term.iri if term is not None else expand_vocab(active, key)
            if iri == "@id":
                plan = (_ID,)
            elif iri is None:
                raise CanonicalizationError(
                    f"property {key!r} is not defined by any of the credential's contexts (safe mode)",
                    code="undefined_term",
                )
            elif iri.startswith("@"):
                raise Unsupported(f"keyword {iri} in a node object")
            elif iri.startswith("_:"):
                raise Unsupported("blank node predicates")
            else:
                check_iri(iri, "property")
                scalar_context = node_context = active
                if term is not None and term.scoped is not None:
                    # JSON-LD 1.1 expansion: a nested node object first drops the type-scoped context
                    # (step 7), then takes the property-scoped one (step 8); scalars keep both
                    scalar_context = process(active, term.scoped, self.loader, override_protected=True)
                    node_context = process(active.previous or active, term.scoped, self.loader, override_protected=True)
                plan = (_PROPERTY, f"<{iri}>", term, scalar_context, node_context)
        if len(active.plans) < 4096:
            active.plans[key] = plan
        return plan

    def property_values(
        self,
        subject: str,
        predicate: str,
        term: Term | None,
        value: Any,
        contexts: tuple[ActiveContext, ActiveContext],
        graph: str,
        depth: int,
    ) -> None:
        """`contexts`: the context for scalar values and the one nested node objects start from."""
        container = term.container if term is not None else None
        type_mapping = term.type_mapping if term is not None else None
        if value is None:
            return
        if container == "@list" and not (isinstance(value, dict) and "@list" in value):
            head = self.list_value(value if isinstance(value, list) else [value], type_mapping, contexts, graph, depth)
            self.quads.append((subject, predicate, head, graph))
            return
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if isinstance(item, list):
                raise Unsupported("nested arrays")
            if container == "@graph" and isinstance(item, dict) and "@value" not in item:
                if "@graph" in item or ("@id" in item and "@graph" in item):
                    raise Unsupported("explicit graph objects")
                named = self.blank()
                self.node(item, contexts[1], named, depth + 1)
                self.quads.append((subject, predicate, named, graph))
                continue
            obj = self.value(item, type_mapping, contexts, graph, depth)
            if obj is not None:
                self.quads.append((subject, predicate, obj, graph))

    def list_value(
        self,
        items: list[Any],
        type_mapping: str | None,
        contexts: tuple[ActiveContext, ActiveContext],
        graph: str,
        depth: int,
    ) -> str:
        objects = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, list):
                raise Unsupported("lists of lists")
            obj = self.value(item, type_mapping, contexts, graph, depth)
            if obj is not None:
                objects.append(obj)
        if not objects:
            return RDF_NIL
        nodes = [self.blank() for _ in objects]
        for index, (node, obj) in enumerate(zip(nodes, objects, strict=True)):
            self.quads.append((node, RDF_FIRST, obj, graph))
            rest = nodes[index + 1] if index + 1 < len(nodes) else RDF_NIL
            self.quads.append((node, RDF_REST, rest, graph))
        return nodes[0]

    def value(
        self,
        item: Any,
        type_mapping: str | None,
        contexts: tuple[ActiveContext, ActiveContext],
        graph: str,
        depth: int,
    ) -> str | None:
        if type_mapping == "@json":
            raise Unsupported("@json literals")
        active = contexts[0]
        if isinstance(item, dict):
            if "@value" in item:
                return self.value_object(item, active)
            if "@list" in item or "@set" in item:
                raise Unsupported("explicit @list / @set objects")
            return self.node(item, contexts[1], graph, depth + 1)
        if isinstance(item, str):
            if type_mapping == "@id":
                return self.node_id(active, item)
            if type_mapping == "@vocab":
                iri = expand_vocab(active, item)
                if iri is None:
                    raise CanonicalizationError(
                        f"value {item!r} is not defined by any of the credential's contexts (safe mode)",
                        code="undefined_term",
                    )
                if iri.startswith("_:"):
                    return self.node_id(active, iri)
                check_iri(iri, "id")
                return f"<{iri}>"
            if type_mapping is not None:
                check_iri(type_mapping, "datatype")
                return literal_term(item, type_mapping)
            return literal_term(item)
        datatype = None if type_mapping in (None, "@id", "@vocab") else type_mapping
        if datatype is not None:
            check_iri(datatype, "datatype")
        if isinstance(item, bool):
            return literal_term("true" if item else "false", datatype or XSD_BOOLEAN)
        if isinstance(item, int | float):
            return _number(item, datatype)
        raise CanonicalizationError(f"unsupported JSON value {item!r}", code="invalid_jsonld")

    def value_object(self, item: Mapping[str, Any], active: ActiveContext) -> str:
        if set(item) - {"@value", "@type"}:
            raise Unsupported("value objects with @language / @direction / @index")
        raw = item["@value"]
        datatype = item.get("@type")
        if datatype is not None:
            if not isinstance(datatype, str):
                raise CanonicalizationError("@type of a value must be a string", code="invalid_jsonld")
            iri = expand_vocab(active, datatype)
            if iri is None or iri == "@json":
                raise Unsupported("value object type")
            check_iri(iri, "datatype")
            if not isinstance(raw, str):
                raise Unsupported("typed non-string value objects")
            return literal_term(raw, iri)
        if isinstance(raw, str):
            return literal_term(raw)
        if isinstance(raw, bool):
            return literal_term("true" if raw else "false", XSD_BOOLEAN)
        if isinstance(raw, int | float):
            return _number(raw)
        raise CanonicalizationError("@value must be a string, number or boolean", code="invalid_jsonld")


def _number(value: float, datatype: str | None = None) -> str:
    """JSON-LD's Object to RDF for numbers: integral values as xsd:integer, others as canonical xsd:double;
    a datatype from the context keeps the lexical form and replaces only the datatype."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalizationError("numbers must be finite", code="invalid_jsonld")
        if value != int(value) or abs(value) >= 1e21 or datatype == XSD_DOUBLE:
            # JSON-LD's canonical xsd:double form, e.g. 1.5E0
            mantissa, exponent = f"{value:.15E}".split("E")
            mantissa = mantissa.rstrip("0")
            if mantissa.endswith("."):
                mantissa += "0"
            return literal_term(f"{mantissa}E{int(exponent)}", datatype or XSD_DOUBLE)
        value = int(value)
    elif datatype == XSD_DOUBLE or abs(value) >= 10**21:
        return _number(float(value), datatype)
    return literal_term(str(value), datatype or XSD_INTEGER)


def _cacheable(local: Any) -> bool:
    items = local if isinstance(local, list) else [local]
    return all(isinstance(item, str) or item is None for item in items)


def to_quads_fast(document: Mapping[str, Any], loader: DocumentLoader) -> list[Quad]:
    """Quads of a JSON-LD document whose top level is one node object; Unsupported when outside the subset."""
    if not isinstance(document, Mapping):
        raise Unsupported("top-level arrays")
    if "@graph" in document or "@context" not in document:
        raise Unsupported("top-level @graph or no @context")
    local = document["@context"]
    if not _cacheable(local):
        raise Unsupported("embedded context objects")
    writer = _Writer(loader)
    writer.node(document, EMPTY, "", 0)
    return writer.quads
