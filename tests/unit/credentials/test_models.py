"""Open Badges 3.0 models: spec-valid JSON out, precise problems in."""

from __future__ import annotations

from typing import Any

import pytest

from rexvet_credentials.models import (
    Achievement,
    AchievementSubject,
    Criteria,
    IdentityObject,
    Image,
    OpenBadgeCredential,
    Profile,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    parse_credential,
)
from rexvet_credentials.rdf import canonical_nquads

pytestmark = pytest.mark.unit


def _credential() -> OpenBadgeCredential:
    levels = [RubricCriterionLevel(id=f"urn:uuid:level-{n}", name=f"Level {n}") for n in (1, 2)]
    return OpenBadgeCredential(
        id="urn:uuid:cred-1",
        issuer=Profile(id="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", name="College"),
        validFrom="2026-01-01T00:00:00Z",
        credentialSubject=AchievementSubject(
            identifier=[IdentityObject.hashed_identifier("Staff@College.example", salt="pepper")],
            achievement=Achievement(
                id="https://badges.example/a/1",
                name="Mobility coach",
                description="Coaches mobility.",
                criteria=Criteria(narrative="Did it."),
                image=Image(id="https://badges.example/a/1.png"),
                resultDescription=[
                    ResultDescription(
                        id="urn:uuid:rd-1", name="Level", resultType="RubricCriterionLevel", rubricCriterionLevel=levels
                    )
                ],
            ),
            result=[Result(resultDescription="urn:uuid:rd-1", achievedLevel="urn:uuid:level-2")],
        ),
    )


def test_serialises_to_spec_valid_json() -> None:
    out = _credential().to_json()
    assert out["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert out["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = out["credentialSubject"]["achievement"]
    assert achievement["image"] == {"id": "https://badges.example/a/1.png", "type": "Image"}
    assert [lvl["name"] for lvl in achievement["resultDescription"][0]["rubricCriterionLevel"]] == [
        "Level 1",
        "Level 2",
    ]

    def no_nulls_or_empties(value: Any) -> None:
        assert value is not None and value != [] and value != {}
        if isinstance(value, dict):
            for item in value.values():
                no_nulls_or_empties(item)
        if isinstance(value, list):
            for item in value:
                no_nulls_or_empties(item)

    no_nulls_or_empties(out)
    assert "alignment" not in achievement and "validUntil" not in out
    canonical_nquads(out)  # every property it writes is defined by the contexts it declares


def test_round_trip() -> None:
    out = _credential().to_json()
    parsed, problems = parse_credential(out)
    assert problems == []
    assert parsed is not None and parsed.to_json() == out


def test_lenient_single_values_become_arrays() -> None:
    out = _credential().to_json()
    out["type"] = "VerifiableCredential"  # single value, and missing OpenBadgeCredential
    _, problems = parse_credential(out)
    assert any("OpenBadgeCredential" in str(p) for p in problems)
    out["type"] = ["VerifiableCredential", "OpenBadgeCredential"]
    out["credentialSubject"]["result"] = out["credentialSubject"]["result"][0]
    parsed, problems = parse_credential(out)
    assert problems == [] and parsed is not None
    assert isinstance(parsed.to_json()["credentialSubject"]["result"], list)


def test_precise_problems() -> None:
    out = _credential().to_json()
    del out["credentialSubject"]["achievement"]["criteria"]
    out["issuer"] = {"id": "did:example:1"}
    _, problems = parse_credential(out)
    paths = {p.path for p in problems}
    assert "credentialSubject.achievement.criteria" in paths
    assert "issuer.name" in paths


def test_subject_needs_id_or_identifier() -> None:
    out = _credential().to_json()
    del out["credentialSubject"]["identifier"]
    _, problems = parse_credential(out)
    assert any("identifier" in str(p) for p in problems)


def test_identity_hash_and_matching() -> None:
    identity = IdentityObject.hashed_identifier("staff@college.example", salt="pepper")
    # sha256("staff@college.example" + "pepper"), computed independently
    import hashlib

    assert identity.identityHash == "sha256$" + hashlib.sha256(b"staff@college.examplepepper").hexdigest()
    assert identity.to_json()["hashed"] is True
    assert identity.matches("staff@college.example")
    assert identity.matches("Staff@College.Example")  # email addresses match case-insensitively
    assert not identity.matches("other@college.example")
    assert IdentityObject.hashed_identifier("a@b.c").salt != IdentityObject.hashed_identifier("a@b.c").salt


def test_unhashed_identity_matches_plainly() -> None:
    identity = IdentityObject(identityHash="student@1edtech.edu", hashed=False)
    assert identity.matches("student@1edtech.edu")
    assert not identity.matches("x@1edtech.edu")


@pytest.mark.parametrize(
    ("path", "required"),
    [
        (("credentialSubject", "achievement"), "Achievement"),
        (("credentialSubject",), "AchievementSubject"),
        (("issuer",), "Profile"),
    ],
)
def test_each_object_must_declare_its_class(path: tuple[str, ...], required: str) -> None:
    out = _credential().to_json()
    target = out
    for key in path:
        target = target[key]
    target["type"] = ["Thing"]
    _, problems = parse_credential(out)
    assert [(p.path, required in p.message) for p in problems] == [(".".join(path), True)]
