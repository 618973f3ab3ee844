"""Processed JSON-LD active contexts for the fast JSON-LD-to-RDF path.

Only what the pinned contexts use is implemented (term definitions with @id / @type / @container / scoped
@context / @protected, @vocab, null contexts, @propagate via type-scoped contexts); anything else raises
`Unsupported` and the caller falls back to pyld. Processed contexts (`active_context`) are immutable and memoised
in the memo the loader was given (`processed_contexts`), so the type- and property-scoped contexts a credential
triggers are processed once per process, not per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rexvet_credentials.active_context import ActiveContext, Term
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.errors import CanonicalizationError

KEYWORDS = frozenset(
    {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included", "@index",
        "@json", "@language", "@list", "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse",
        "@set", "@type", "@value", "@version", "@vocab",
    }
)  # fmt: skip
_TERM_KEYS = frozenset({"@id", "@type", "@container", "@context", "@protected", "@prefix"})
_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")
_CONTEXT_KEYS = frozenset({"@version", "@protected", "@vocab", "@propagate"})


class Unsupported(Exception):
    """A JSON-LD feature the fast path does not implement: use the general (pyld) path."""


def process(
    active: ActiveContext,
    local: Any,
    loader: DocumentLoader,
    *,
    propagate: bool = True,
    override_protected: bool = False,
    cacheable: bool = True,
) -> ActiveContext:
    """The JSON-LD context processing algorithm, for the subset described in the module docstring."""
    if not cacheable:
        return _process(active, local, loader, propagate, override_protected)
    key = (active.uid, _local_key(local), propagate, override_protected)
    memo = loader.processed_contexts
    found = memo.get(key)
    if found is not None:
        return found
    result = _process(active, local, loader, propagate, override_protected)
    memo.put(key, result)  # the memo bounds itself (processed_contexts.BoundedContextMemo)
    return result


def _local_key(local: Any) -> Any:
    if isinstance(local, list):
        return tuple(_local_key(item) for item in local)
    if isinstance(local, str) or local is None:
        return local
    return ("object", id(local))  # only pinned (never freed) context objects are cached by identity


def _process(
    active: ActiveContext, local: Any, loader: DocumentLoader, propagate: bool, override_protected: bool
) -> ActiveContext:
    terms = dict(active.terms)
    vocab = active.vocab
    previous = active.previous
    if not propagate and previous is None:
        previous = active
    for item in local if isinstance(local, list) else [local]:
        if item is None:
            if not override_protected and any(t.protected for t in terms.values()):
                raise CanonicalizationError("a null @context would clear protected terms", code="invalid_jsonld")
            terms, vocab = {}, None
            continue
        if isinstance(item, str):
            document = loader.load(item)
            context = document.get("@context") if isinstance(document, Mapping) else None
            if context is None:
                raise CanonicalizationError(f"{item} has no @context", code="invalid_jsonld")
            nested = process(
                ActiveContext(terms, vocab, previous),
                context,
                loader,
                override_protected=override_protected,
                cacheable=False,  # a fresh context each time: a memo entry would never be hit
            )
            terms, vocab = dict(nested.terms), nested.vocab
            continue
        if not isinstance(item, Mapping):
            raise CanonicalizationError("a @context entry must be a URL, an object or null", code="invalid_jsonld")
        extra = set(k for k in item if k.startswith("@")) - _CONTEXT_KEYS
        if extra:
            raise Unsupported(f"context keywords {sorted(extra)}")
        if "@propagate" in item:
            raise Unsupported("@propagate in a context")
        if "@vocab" in item:
            new_vocab = item["@vocab"]
            if new_vocab is not None and (not isinstance(new_vocab, str) or ":" not in new_vocab):
                raise Unsupported("relative @vocab")
            vocab = new_vocab
        protected_default = bool(item.get("@protected", False))
        defined: dict[str, bool] = {}
        for name in item:
            if not name.startswith("@"):
                _define(item, name, terms, vocab, defined, protected_default, override_protected)
    return ActiveContext(terms, vocab, previous)


def _define(
    local: Mapping[str, Any],
    name: str,
    terms: dict[str, Term],
    vocab: str | None,
    defined: dict[str, bool],
    protected_default: bool,
    override_protected: bool,
) -> None:
    if defined.get(name):
        return
    if defined.get(name) is False:
        raise CanonicalizationError(f"cyclic IRI mapping for term {name!r}", code="invalid_jsonld")
    defined[name] = False
    value = local[name]
    previous = terms.get(name)
    if value is None:
        raise Unsupported("null term definitions")
    definition: Mapping[str, Any] = {"@id": value} if isinstance(value, str) else value
    if not isinstance(definition, Mapping) or set(definition) - _TERM_KEYS:
        raise Unsupported(f"term definition of {name!r}")

    def expand(reference: str) -> str:
        if reference in KEYWORDS:
            return reference
        if reference in local and reference != name:
            _define(local, reference, terms, vocab, defined, protected_default, override_protected)
        known = terms.get(reference)
        if known is not None:
            return known.iri
        prefix, colon, suffix = reference.partition(":")
        if colon:
            if not suffix.startswith("//"):
                if prefix in local and prefix != name:
                    _define(local, prefix, terms, vocab, defined, protected_default, override_protected)
                if prefix in terms and terms[prefix].prefix:
                    return terms[prefix].iri + suffix
            return reference
        if vocab is not None:
            return vocab + reference
        raise CanonicalizationError(f"term {reference!r} has no IRI", code="invalid_jsonld")

    iri_ref = definition.get("@id", name)
    if not isinstance(iri_ref, str):
        raise Unsupported("non-string @id in a term definition")
    iri = expand(iri_ref)
    type_mapping = definition.get("@type")
    if type_mapping is not None:
        if not isinstance(type_mapping, str):
            raise Unsupported("non-string @type mapping")
        if type_mapping not in ("@id", "@vocab", "@json"):
            type_mapping = expand(type_mapping)
    container = definition.get("@container")
    if container is not None and container not in ("@set", "@list", "@graph"):
        raise Unsupported(f"@container {container!r}")
    if "@prefix" in definition:
        is_prefix = definition["@prefix"] is True
    else:
        is_prefix = isinstance(value, str) and iri.endswith(_GEN_DELIMS) and ":" not in name
    term = Term(
        iri,
        type_mapping,
        container,
        definition.get("@context"),
        bool(definition.get("@protected", protected_default)),
        is_prefix,
    )
    if previous is not None and previous.protected and not override_protected:
        # compared by value, as JSON-LD does: equal definitions in two contexts are not a redefinition
        if (previous.iri, previous.type_mapping, previous.container, previous.prefix, previous.scoped) != (
            term.iri,
            term.type_mapping,
            term.container,
            term.prefix,
            term.scoped,
        ):
            raise CanonicalizationError(
                f"the protected term {name!r} cannot be redefined", code="protected_term_redefinition"
            )
        term = previous
    terms[name] = term
    defined[name] = True


def expand_vocab(active: ActiveContext, value: str) -> str | None:
    """IRI expansion with vocab=true (property names, type values): None when nothing defines `value`."""
    try:
        return active.expanded[value]
    except KeyError:
        pass
    result = _expand_vocab(active, value)
    if len(active.expanded) < 4096:
        active.expanded[value] = result
    return result


def _expand_vocab(active: ActiveContext, value: str) -> str | None:
    term = active.terms.get(value)
    if term is not None:
        return term.iri
    if value.startswith("@"):
        return value if value in KEYWORDS else None
    prefix, colon, suffix = value.partition(":")
    if colon:
        if not suffix.startswith("//"):
            prefix_term = active.terms.get(prefix)
            if prefix_term is not None and prefix_term.prefix:
                return prefix_term.iri + suffix
        return value
    if active.vocab is not None:
        return active.vocab + value
    return None


def expand_document_iri(active: ActiveContext, value: str) -> str:
    """IRI expansion with vocab=false (ids): compact IRIs expand, nothing is made absolute against a base."""
    prefix, colon, suffix = value.partition(":")
    if colon and not suffix.startswith("//"):
        prefix_term = active.terms.get(prefix)
        if prefix_term is not None and prefix_term.prefix:
            return prefix_term.iri + suffix
    return value
