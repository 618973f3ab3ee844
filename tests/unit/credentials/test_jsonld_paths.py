"""Which JSON-LD path runs: the fast one for credentials, pyld for other JSON-LD, both in safe mode."""

from __future__ import annotations

from typing import Any

import pytest

from credentials.helpers import encode, mutated
from rexvet_credentials.canonicalize import WorkLimit, canonicalize
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.document_loader import DEFAULT_LOADER
from rexvet_credentials.errors import CanonicalizationError
from rexvet_credentials.jsonld_context import Unsupported
from rexvet_credentials.jsonld_fast import to_quads_fast
from rexvet_credentials.jsonld_pyld import to_quads_pyld
from rexvet_credentials.rdf import canonical_nquads, to_quads
from rexvet_credentials.report import Outcome
from rexvet_credentials.verify import verify_credential

pytestmark = pytest.mark.unit


def test_language_tagged_values_fall_back_to_pyld(unsigned: dict[str, Any]) -> None:
    document = mutated(unsigned, lambda c: c.update(name={"@value": "Coach", "@language": "EN"}))
    with pytest.raises(Unsupported):
        to_quads_fast(document, DEFAULT_LOADER)
    assert '"Coach"@en' in canonical_nquads(document)


def test_fallback_still_applies_safe_mode(unsigned: dict[str, Any]) -> None:
    document = mutated(
        unsigned, lambda c: c.update(name={"@value": "Coach", "@language": "en"}, favouriteColour="green")
    )
    with pytest.raises(CanonicalizationError) as info:
        to_quads(document)
    assert info.value.code == "undefined_term"


def test_a_protected_term_cannot_be_redefined_by_an_embedded_context(unsigned: dict[str, Any]) -> None:
    # `name` is protected by the VC v2 context; redefining it would change what the signature covers
    unsigned["credentialSubject"]["@context"] = {"name": "https://evil.example/name"}
    with pytest.raises(CanonicalizationError) as fast:
        to_quads_fast(unsigned, DEFAULT_LOADER)
    assert fast.value.code == "protected_term_redefinition"
    with pytest.raises(CanonicalizationError):
        to_quads_pyld(unsigned, DEFAULT_LOADER)


def test_an_unprotected_term_may_be_overridden_by_the_type_scoped_context(unsigned: dict[str, Any]) -> None:
    # the AchievementSubject type-scoped context (protected) wins over the embedded definition
    unsigned["credentialSubject"]["@context"] = {"achievement": "https://evil.example/achievement"}
    assert "evil.example" not in canonical_nquads(unsigned)
    assert canonical_nquads(unsigned) == canonicalize(to_quads_pyld(unsigned, DEFAULT_LOADER))


async def test_work_limit_failure_is_reported_not_raised(signed: dict[str, Any], clock: FixedClock) -> None:
    report = await verify_credential(encode(signed), clock=clock, work_limit=WorkLimit(max_blank_nodes=2))
    assert report.check("contexts").code == "canonicalization_work_limit"
    assert report.outcome is Outcome.FAILED


async def test_a_credential_built_to_explode_canonicalisation_is_refused(
    unsigned: dict[str, Any], issuer_key: Any, clock: FixedClock
) -> None:
    # Nine blank nodes that all know each other: every one looks the same to RDFC-1.0, whose N-degree hashing
    # then tries permutations of permutations. The terms are declared undefined, so safe mode lets them through.
    size = 9
    clique = [{"id": f"_:k{i}", "knows": [{"id": f"_:k{j}"} for j in range(size) if j != i]} for i in range(size)]
    hostile = mutated(
        unsigned,
        lambda c: (
            c["@context"].append("https://www.w3.org/ns/credentials/undefined-terms/v2"),
            c["credentialSubject"].update(knows=clique),
        ),
    )
    report = await verify_credential(encode(hostile), clock=clock)
    assert report.check("contexts").code == "canonicalization_work_limit"
    assert "hash steps" in report.check("contexts").message
    assert report.outcome is Outcome.FAILED
