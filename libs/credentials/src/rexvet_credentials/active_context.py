"""Processed JSON-LD active contexts: the immutable result of context processing that the fast path walks with.

Apart from `jsonld_context` (which builds them) so that the memo of processed contexts, which a document loader is
given, can name what it holds without importing the processing algorithm (which imports the loader).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

_uids = itertools.count()


@dataclass(frozen=True, slots=True)
class Term:
    iri: str  # absolute IRI, or a keyword for aliases such as id -> @id
    type_mapping: str | None = None  # "@id", "@vocab", "@json" or a datatype IRI
    container: str | None = None  # "@set", "@list", "@graph"
    scoped: Any = None  # the term's own @context, or None
    protected: bool = False
    prefix: bool = False  # usable as the prefix of a compact IRI (JSON-LD 1.1 prefix flag)


class ActiveContext:
    __slots__ = ("expanded", "plans", "previous", "terms", "type_scoped", "uid", "vocab")

    def __init__(self, terms: dict[str, Term], vocab: str | None, previous: ActiveContext | None) -> None:
        self.terms = terms
        self.vocab = vocab
        self.previous = previous
        self.uid = next(_uids)
        # memo of expand_vocab: the context never changes, and keys repeat across credentials
        self.expanded: dict[str, str | None] = {}
        # memos of the fast path: how each key is handled here, and the context each set of types leads to
        self.plans: dict[str, Any] = {}
        self.type_scoped: dict[tuple[str, ...], ActiveContext] = {}


EMPTY = ActiveContext({}, None, None)
