"""RDFC-1.0 canonicalisation with a work limit.

The common case (every blank node has a distinct first-degree hash, as in nearly all credentials) is labelled
directly here: canonical labels follow the sorted first-degree hashes, exactly as RDFC-1.0 step 5 prescribes.
Otherwise the dataset goes to pyoxigraph's native RDFC-1.0, whose N-degree hashing is exponential in the worst
case, so the ambiguous blank nodes are bounded first: a graph built to explode the hashing is refused with
`canonicalization_work_limit` instead of running for hours.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from rexvet_credentials.errors import CanonicalizationError
from rexvet_credentials.nquads import Quad, escape_literal, is_blank, quad_line


@dataclass(frozen=True, slots=True)
class WorkLimit:
    """Bounds on the input that RDFC-1.0 is allowed to work on.

    `max_blank_nodes`: blank nodes in the whole dataset.
    `max_ambiguous_blank_nodes`: blank nodes that share their first-degree hash with another one (these need
    the N-degree hash algorithm, the exponential part).
    `max_hash_group`: size of the largest group sharing one first-degree hash; the N-degree algorithm tries
    every permutation of such a group, so g! grows fast.
    """

    max_quads: int = 100_000
    max_blank_nodes: int = 10_000
    max_ambiguous_blank_nodes: int = 64
    max_hash_group: int = 6


DEFAULT_WORK_LIMIT = WorkLimit()


def _first_degree_hashes(quads: list[Quad]) -> dict[str, str]:
    mentions: dict[str, list[Quad]] = defaultdict(list)
    for quad in quads:
        seen: set[str] = set()
        for term in quad:
            if term and is_blank(term) and term not in seen:
                seen.add(term)
                mentions[term].append(quad)
    hashes: dict[str, str] = {}
    for node, node_quads in mentions.items():
        lines = []
        for quad in node_quads:
            relabelled = tuple(("_:a" if t == node else "_:z") if t and is_blank(t) else t for t in quad)
            lines.append(quad_line(relabelled))  # type: ignore[arg-type]
        lines.sort()
        hashes[node] = hashlib.sha256("".join(lines).encode()).hexdigest()
    return hashes


def canonicalize(quads: list[Quad], limit: WorkLimit = DEFAULT_WORK_LIMIT) -> str:
    """The canonical N-Quads document (sorted lines, `_:c14nN` labels) of `quads`."""
    if len(quads) > limit.max_quads:
        raise CanonicalizationError(
            f"the dataset has {len(quads)} quads, more than the limit of {limit.max_quads}",
            code="canonicalization_work_limit",
        )
    quads = list(dict.fromkeys(quads))  # an RDF dataset is a set
    hashes = _first_degree_hashes(quads)
    if len(hashes) > limit.max_blank_nodes:
        raise CanonicalizationError(
            f"the dataset has {len(hashes)} blank nodes, more than the limit of {limit.max_blank_nodes}",
            code="canonicalization_work_limit",
        )
    groups: dict[str, list[str]] = defaultdict(list)
    for node, digest in hashes.items():
        groups[digest].append(node)
    if all(len(members) == 1 for members in groups.values()):
        labels = {groups[d][0]: f"_:c14n{i}" for i, d in enumerate(sorted(groups))}
        return "".join(
            sorted(quad_line(tuple(labels.get(t, t) for t in q)) for q in quads)  # type: ignore[arg-type]
        )
    ambiguous = sum(len(m) for m in groups.values() if len(m) > 1)
    largest = max(len(m) for m in groups.values())
    if ambiguous > limit.max_ambiguous_blank_nodes or largest > limit.max_hash_group:
        raise CanonicalizationError(
            f"the dataset has {ambiguous} blank nodes that cannot be told apart by their own statements "
            f"(largest indistinguishable group: {largest}); canonicalising it would take too much work "
            f"(limits: {limit.max_ambiguous_blank_nodes} nodes, groups of {limit.max_hash_group})",
            code="canonicalization_work_limit",
        )
    return _canonicalize_with_oxigraph(quads)


def _canonicalize_with_oxigraph(quads: list[Quad]) -> str:
    text = "".join(quad_line(q) for q in quads)
    dataset = ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(quad_line(_from_oxigraph(q)) for q in dataset))


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.DefaultGraph):
        return ""
    if isinstance(term, ox.Literal):
        escaped = escape_literal(term.value)
        if term.language:
            return f'"{escaped}"@{term.language}'
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return f'"{escaped}"'
        return f'"{escaped}"^^<{term.datatype.value}>'
    raise CanonicalizationError("RDF-star triple terms are not supported", code="canonicalization_failed")


def _from_oxigraph(quad: ox.Quad) -> Quad:
    return (_term(quad.subject), _term(quad.predicate), _term(quad.object), _term(quad.graph_name))
