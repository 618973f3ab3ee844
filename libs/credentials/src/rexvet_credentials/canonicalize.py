"""RDFC-1.0 canonicalisation (W3C Recommendation 2024) with a work limit.

Implemented here on N-Quads term strings so that hashing uses RDFC-1.0's escaping throughout. The common case
(every blank node has a distinct first-degree hash, as in nearly all credentials) needs no N-degree hashing.
The N-degree algorithm is exponential in the worst case, so a graph built to explode it is refused with
`canonicalization_work_limit` once a budget of hash-path steps (permutations tried plus recursive N-degree
hashes) is spent, instead of running for hours.

pyoxigraph 0.5.13's RDFC-1.0 is not used: it labels some datasets whose blank nodes are also graph names (1EdTech's
complete.json, with embedded endorsement proofs) differently from pyld, jsonld.js and the Java signer that
produced that file's valid signature.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import permutations

from rexvet_credentials.errors import CanonicalizationError
from rexvet_credentials.nquads import Quad, is_blank


@dataclass(frozen=True, slots=True)
class WorkLimit:
    """Bounds on the input and on the work RDFC-1.0 may do.

    `max_hash_work` counts the N-degree steps (each permutation tried and each recursive hash); credentials
    seen in practice need none or a few dozen.
    """

    max_quads: int = 100_000
    max_blank_nodes: int = 10_000
    max_hash_work: int = 20_000


DEFAULT_WORK_LIMIT = WorkLimit()


class _Issuer:
    __slots__ = ("counter", "issued", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {}
        self.counter = 0

    def issue(self, node: str) -> str:
        found = self.issued.get(node)
        if found is None:
            found = self.issued[node] = f"{self.prefix}{self.counter}"
            self.counter += 1
        return found

    def copy(self) -> _Issuer:
        other = _Issuer(self.prefix)
        other.issued = dict(self.issued)
        other.counter = self.counter
        return other


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class _Canonicalizer:
    def __init__(self, quads: list[Quad], limit: WorkLimit) -> None:
        self.quads = quads
        self.limit = limit
        self.work = 0
        self.mentions: dict[str, list[Quad]] = defaultdict(list)
        mentions = self.mentions
        for quad in quads:  # hot loop: written out rather than with helpers
            s, _, o, g = quad
            if s[0] == "_":
                mentions[s].append(quad)
            if o[0] == "_" and o != s:
                mentions[o].append(quad)
            if g and g[0] == "_" and g != s and g != o:
                mentions[g].append(quad)
        self.first_degree: dict[str, str] = {}
        self.canonical = _Issuer("_:c14n")

    def hash_first_degree(self, node: str) -> str:
        cached = self.first_degree.get(node)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.mentions[node]:
            s = ("_:a" if s == node else "_:z") if s[0] == "_" else s
            o = ("_:a" if o == node else "_:z") if o[0] == "_" else o
            if g:
                g = ("_:a" if g == node else "_:z") if g[0] == "_" else g
                lines.append(f"{s} {p} {o} {g} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")
        lines.sort()
        digest = self.first_degree[node] = _sha256("".join(lines))
        return digest

    def _spend(self) -> None:
        self.work += 1
        if self.work > self.limit.max_hash_work:
            raise CanonicalizationError(
                f"canonicalising this dataset needs more than {self.limit.max_hash_work} hash steps: its blank "
                "nodes are built to be indistinguishable (a denial-of-service pattern), so it is refused",
                code="canonicalization_work_limit",
            )

    def hash_related(self, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
        identifier = self.canonical.issued.get(related) or issuer.issued.get(related) or self.hash_first_degree(related)
        text = position + (quad[1] if position != "g" else "") + identifier
        return _sha256(text)

    def hash_n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self._spend()
        related_by_hash: dict[str, list[str]] = defaultdict(list)
        for quad in self.mentions[node]:
            for term, position in ((quad[0], "s"), (quad[2], "o"), (quad[3], "g")):
                if term and is_blank(term) and term != node:
                    related_by_hash[self.hash_related(term, quad, issuer, position)].append(term)
        data = []
        for related_hash in sorted(related_by_hash):
            data.append(related_hash)
            chosen_path = ""
            chosen_issuer: _Issuer | None = None
            for permutation in permutations(related_by_hash[related_hash]):
                self._spend()
                issuer_copy = issuer.copy()
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    if related in self.canonical.issued:
                        path += self.canonical.issued[related]
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy)
                    path += issuer_copy.issue(related) + "<" + result_hash + ">"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data.append(chosen_path)
            assert chosen_issuer is not None  # at least one permutation is never skipped
            issuer = chosen_issuer
        return _sha256("".join(data)), issuer

    def run(self) -> str:
        by_hash: dict[str, list[str]] = defaultdict(list)
        for node in self.mentions:
            by_hash[self.hash_first_degree(node)].append(node)
        for digest in sorted(by_hash):
            if len(by_hash[digest]) == 1:
                self.canonical.issue(by_hash[digest][0])
        for digest in sorted(by_hash):
            nodes = by_hash[digest]
            if len(nodes) == 1:
                continue
            results = []
            for node in nodes:
                if node in self.canonical.issued:
                    continue
                temporary = _Issuer("_:b")
                temporary.issue(node)
                results.append(self.hash_n_degree(node, temporary))
            for _hash, result_issuer in sorted(results, key=lambda r: r[0]):
                for existing in result_issuer.issued:
                    self.canonical.issue(existing)
        labels = self.canonical.issued
        lines = []
        for s, p, o, g in self.quads:
            s = labels.get(s, s)
            o = labels.get(o, o)
            lines.append(f"{s} {p} {o} {labels.get(g, g)} .\n" if g else f"{s} {p} {o} .\n")
        lines.sort()
        return "".join(lines)


def canonicalize(quads: list[Quad], limit: WorkLimit = DEFAULT_WORK_LIMIT) -> str:
    """The canonical N-Quads document (sorted lines, `_:c14nN` labels) of `quads`."""
    return canonicalize_with_labels(quads, limit)[0]


def canonicalize_with_labels(quads: list[Quad], limit: WorkLimit = DEFAULT_WORK_LIMIT) -> tuple[str, dict[str, str]]:
    """The canonical N-Quads document and the label each input blank node got (`_:b0` -> `_:c14n3`): the
    selective-disclosure suites relate statements of a selection to the canonical ones through it."""
    if len(quads) > limit.max_quads:
        raise CanonicalizationError(
            f"the dataset has {len(quads)} quads, more than the limit of {limit.max_quads}",
            code="canonicalization_work_limit",
        )
    unique = list(dict.fromkeys(quads))  # an RDF dataset is a set
    canonicalizer = _Canonicalizer(unique, limit)
    if len(canonicalizer.mentions) > limit.max_blank_nodes:
        raise CanonicalizationError(
            f"the dataset has {len(canonicalizer.mentions)} blank nodes, more than the limit of "
            f"{limit.max_blank_nodes}",
            code="canonicalization_work_limit",
        )
    return canonicalizer.run(), dict(canonicalizer.canonical.issued)
