"""RDFC-1.0: escaping, labelling against pyld's independent implementation, and the work limit."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld.canon import URDNA2015

from rexvet_credentials.canonicalize import WorkLimit, canonicalize
from rexvet_credentials.errors import CanonicalizationError
from rexvet_credentials.nquads import Quad, escape_literal, literal_term

pytestmark = pytest.mark.unit


def test_rdfc_escaping_of_control_characters() -> None:
    assert escape_literal('a\b\t\n\f\r"\\b') == 'a\\b\\t\\n\\f\\r\\"\\\\b'
    assert escape_literal("\x00\x07\x0b\x0e\x1f\x7f") == "\\u0000\\u0007\\u000B\\u000E\\u001F\\u007F"
    assert escape_literal("é€😀") == "é€😀"  # everything else is written as is (UTF-8)
    assert literal_term("x", language="EN-gb") == '"x"@en-gb'


def _to_pyld(quads: list[Quad]) -> dict[str, list[dict[str, Any]]]:
    def term(text: str) -> dict[str, Any]:
        if text.startswith("_:"):
            return {"type": "blank node", "value": text}
        if text.startswith("<"):
            return {"type": "IRI", "value": text[1:-1]}
        lexical = text[1:-1]  # the generated literals need no escaping
        return {"type": "literal", "value": lexical, "datatype": "http://www.w3.org/2001/XMLSchema#string"}

    dataset: dict[str, list[dict[str, Any]]] = {}
    for s, p, o, g in quads:
        name = "@default" if not g else (g if g.startswith("_:") else g[1:-1])
        dataset.setdefault(name, []).append({"subject": term(s), "predicate": term(p), "object": term(o)})
    return dataset


def _pyld_canonical(quads: list[Quad]) -> str:
    result: str = URDNA2015().main(_to_pyld(quads), {"format": "application/n-quads"})
    return result


blank = st.integers(0, 5).map(lambda i: f"_:n{i}")
iri = st.sampled_from(["<urn:x:a>", "<urn:x:b>", "<https://example.org/c>"])
literal = st.sampled_from(['"v"', '"w"', '"42"'])
predicate = st.sampled_from(["<urn:p:1>", "<urn:p:2>"])
graph = st.one_of(st.just(""), st.just(""), blank, st.just("<urn:g:1>"))


def _no_repeated_blank_node(q: Quad) -> bool:
    blanks = [t for t in (q[0], q[2], q[3]) if t.startswith("_:")]
    return len(blanks) == len(set(blanks))


# A quad naming one blank node twice (`_:a <p> _:a`) is left out of the comparison: pyld 3.3 counts such a quad
# twice in the node's quad list, while RDFC-1.0 (and jsonld.js's rdf-canonize) keep a set of quads per node.
quad = st.tuples(st.one_of(blank, iri), predicate, st.one_of(blank, iri, literal), graph).filter(
    _no_repeated_blank_node
)
any_quad = st.tuples(st.one_of(blank, iri), predicate, st.one_of(blank, iri, literal), graph)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quad, min_size=1, max_size=14))
def test_labelling_agrees_with_pyld(quads: list[Quad]) -> None:
    assert canonicalize(quads) == _pyld_canonical(list(dict.fromkeys(quads)))


@settings(max_examples=100, deadline=None)
@given(st.lists(any_quad, min_size=1, max_size=14), st.randoms(use_true_random=False))
def test_blank_node_names_and_order_do_not_matter(quads: list[Quad], rnd: random.Random) -> None:
    names = [f"_:n{i}" for i in range(6)]
    renamed = dict(zip(names, [f"_:other{i}" for i in rnd.sample(range(6), 6)], strict=True))
    shuffled: list[Quad] = [(renamed.get(s, s), p, renamed.get(o, o), renamed.get(g, g)) for s, p, o, g in quads]
    rnd.shuffle(shuffled)
    assert canonicalize(shuffled) == canonicalize(quads)


def _clique(size: int) -> list[Quad]:
    nodes = [f"_:k{i}" for i in range(size)]
    return [(a, "<urn:p:knows>", b, "") for a in nodes for b in nodes if a != b]


def test_small_symmetric_graphs_are_canonicalised() -> None:
    assert canonicalize(_clique(3)) == _pyld_canonical(_clique(3))


def test_a_graph_built_to_explode_the_hashing_hits_the_work_limit() -> None:
    with pytest.raises(CanonicalizationError) as info:
        canonicalize(_clique(9))
    assert info.value.code == "canonicalization_work_limit"
    assert "hash steps" in info.value.message


def test_blank_node_and_quad_count_limits() -> None:
    chain = [(f"_:c{i}", "<urn:p:next>", f"_:c{i + 1}", "") for i in range(50)]
    with pytest.raises(CanonicalizationError) as nodes:
        canonicalize(chain, WorkLimit(max_blank_nodes=20))
    assert nodes.value.code == "canonicalization_work_limit"
    with pytest.raises(CanonicalizationError) as quads:
        canonicalize(chain, WorkLimit(max_quads=10))
    assert quads.value.code == "canonicalization_work_limit"
