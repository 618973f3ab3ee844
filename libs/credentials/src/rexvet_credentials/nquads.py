"""RDF quads as N-Quads term strings, serialised with the RDFC-1.0 canonical escaping.

A term is kept as its N-Quads text (`<iri>`, `_:label`, `"lexical"^^<datatype>`, `"lexical"@lang`) so that
canonicalisation is string work; the graph term is "" for the default graph.
RDFC-1.0 (like RDF 1.2 canonical N-Triples) writes BS, HT, LF, FF, CR, `"` and `\\` as two-character escapes
and the other control characters as `\\uXXXX` with upper-case hex, where URDNA2015 serialisers wrote raw bytes.
"""

from __future__ import annotations

import re

Quad = tuple[str, str, str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def escape_literal(lexical: str) -> str:
    return _NEEDS_ESCAPE.sub(_escape_char, lexical)


def iri_term(iri: str) -> str:
    return f"<{iri}>"


def literal_term(lexical: str, datatype: str = XSD_STRING, language: str | None = None) -> str:
    escaped = escape_literal(lexical)
    if language is not None:
        return f'"{escaped}"@{language.lower()}'
    if datatype == XSD_STRING:
        return f'"{escaped}"'
    return f'"{escaped}"^^<{datatype}>'


def is_blank(term: str) -> bool:
    return term.startswith("_:")


def quad_line(quad: Quad) -> str:
    s, p, o, g = quad
    if g:
        return f"{s} {p} {o} {g} .\n"
    return f"{s} {p} {o} .\n"


def serialize(quads: list[Quad]) -> str:
    """Canonical N-Quads document: lines sorted by code point, each ending in LF."""
    return "".join(sorted(quad_line(q) for q in quads))
