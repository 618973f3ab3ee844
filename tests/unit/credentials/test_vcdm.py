"""The VC data model checks (models/vcdm.py): what JSON-LD expansion accepts but the data model refuses."""

from __future__ import annotations

from typing import Any

import pytest

from rexvet_credentials.models.vcdm import credential_problems, is_date_time_stamp, presentation_problems

pytestmark = pytest.mark.unit

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"


def credential(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "@context": [VC2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    }
    base.update(overrides)
    return base


def paths(document: dict[str, Any], **kwargs: Any) -> list[str]:
    return [problem.path for problem in credential_problems(document, **kwargs)]


def test_a_minimal_credential_conforms() -> None:
    assert credential_problems(credential()) == []
    assert (
        credential_problems(credential(validFrom="2023-02-25T19:10:39-06:00", validUntil="4023-01-01T00:00:00Z")) == []
    )


def test_dates_are_date_time_stamps_with_a_timezone() -> None:
    assert is_date_time_stamp("2023-02-26T01:02:58.447Z") and is_date_time_stamp("2023-02-25T19:10:39-06:00")
    for text in ("2023-02-26T01:02:58", "Sat 25 Feb 2023 07:16:31 PM CST", "2023-02-26", "2023-13-01T00:00:00Z"):
        assert not is_date_time_stamp(text), text
    assert paths(credential(validFrom="2023-02-26")) == ["validFrom"]
    assert paths(credential(validFrom="2023-02-26T01:21:23Z", validUntil="2023-02-25T19:21:22-06:00")) == ["validUntil"]
    assert paths(credential(validFrom="2023-02-26T01:21:23Z", validUntil="2023-02-25T19:21:23-06:00")) == []


def test_vcdm_1_1_needs_an_issuance_date_and_takes_a_date_time_without_timezone() -> None:
    assert paths(credential(**{"@context": [VC1]})) == ["issuanceDate"]
    assert paths(credential(**{"@context": [VC1]}, issuanceDate="2010-01-01T19:23:24")) == []


def test_typed_properties_ids_and_subjects() -> None:
    assert paths(credential(evidence=[{"type": "Evidence"}, {"id": "https://example.org/e/2"}])) == ["evidence.1.type"]
    assert paths(credential(credentialSchema={"type": "JsonSchema"})) == ["credentialSchema.id"]
    assert paths(credential(id=None)) == ["id"]
    assert paths(credential(id=["https://a.example", "https://b.example"])) == ["id"]
    assert paths(credential(issuer="fake-issuer")) == ["issuer"]
    assert paths(credential(credentialSubject=[{"id": "did:example:a"}, {}])) == ["credentialSubject.1"]
    assert paths(credential(type=["ExampleCredential"])) == ["type"]
    assert paths(credential(name={"@value": "A", "@language": "en", "extra": 1})) == ["name"]


def test_related_resources_and_status_entries() -> None:
    digest = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"
    ok = {"id": "https://www.w3.org/ns/credentials/v2", "digestMultibase": digest}
    assert paths(credential(relatedResource=[ok])) == []
    assert paths(credential(relatedResource=["https://www.w3.org/ns/credentials/v2"])) == ["relatedResource.0"]
    assert paths(credential(relatedResource=[ok, ok])) == ["relatedResource.1.id"]
    assert paths(credential(relatedResource=[{"id": ok["id"]}])) == ["relatedResource.0"]
    entry = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": 7,
        "statusListCredential": "https://example.org/lists/1",
    }
    assert paths(credential(credentialStatus=entry)) == []  # a verifier reads a number index (with a warning)
    assert paths(credential(credentialStatus=entry), issuing=True) == ["credentialStatus.statusListIndex"]


def test_presentations() -> None:
    vp: dict[str, Any] = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": "did:example:holder"}
    assert presentation_problems(vp) == []
    assert [p.path for p in presentation_problems({**vp, "holder": "not a url"})] == ["holder"]
    assert [p.path for p in presentation_problems({**vp, "verifiableCredential": ["a string"]})] == [
        "verifiableCredential.0"
    ]
    assert [p.path for p in presentation_problems({**vp, "type": ["VerifiableCredential"]})] == ["type"]
