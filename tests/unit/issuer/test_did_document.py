"""The issuer's identities as plain data: the did:web DID document, the Profile document of the badges issued
before it, and the Profile credentials carry. No app, no store."""

from __future__ import annotations

import pytest

from rexvet_credentials.didweb import ControllerDocument
from rexvet_credentials.errors import KeyResolutionError
from rexvet_issuer.domain.profile import Issuer, IssuerKey

pytestmark = pytest.mark.unit

PROFILE_URL = "https://issuer.example/v1/issuers/omnia"
DID = "did:web:issuer.example:v1:issuers:omnia"
OLD, NEW = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"


def issuer() -> Issuer:
    keys = (
        IssuerKey(f"{PROFILE_URL}#{OLD}", OLD, "sealed-1", "2026-01-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00"),
        IssuerKey(f"{PROFILE_URL}#{NEW}", NEW, "sealed-2", "2026-03-01T00:00:00+00:00"),
    )
    return Issuer("omnia", PROFILE_URL, "Omnia", {"url": "https://www.omnia.fi/"}, keys)


def test_the_did_is_the_did_web_of_the_profile_url() -> None:
    assert issuer().did == DID
    assert Issuer("omnia", "http://127.0.0.1:8003/v1/issuers/omnia", "Omnia").did == (
        "did:web:127.0.0.1%3A8003:v1:issuers:omnia"
    )


def test_the_did_document_lists_every_key_as_a_multikey_the_did_controls() -> None:
    document = issuer().did_document()
    assert document == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "alsoKnownAs": [PROFILE_URL],
        "verificationMethod": [
            {"id": f"{DID}#{OLD}", "type": "Multikey", "controller": DID, "publicKeyMultibase": OLD},
            {"id": f"{DID}#{NEW}", "type": "Multikey", "controller": DID, "publicKeyMultibase": NEW},
        ],
        "assertionMethod": [f"{DID}#{OLD}", f"{DID}#{NEW}"],  # the retired key too: what it signed still verifies
    }
    assert "sealed" not in str(document)
    # rexvet's own resolver reads it as the controller document of the DID, each key bound to the DID
    parsed = ControllerDocument.parse(document, DID)
    resolved = parsed.resolved(f"{DID}#{NEW}")
    assert (resolved.controller, resolved.purposes) == (DID, frozenset({"assertionMethod"}))
    with pytest.raises(KeyResolutionError):
        ControllerDocument.parse(document, PROFILE_URL)  # the document speaks for the DID only


def test_the_profile_document_keeps_the_keys_of_the_badges_issued_before_the_did_web() -> None:
    document = issuer().public_document()
    assert document["id"] == PROFILE_URL and document["type"] == ["Profile"] and document["name"] == "Omnia"
    assert document["alsoKnownAs"] == [DID]
    assert document["otherIdentifier"] == [
        {"type": "IdentifierEntry", "identifier": DID, "identifierType": "identifier"}
    ]
    assert document["assertionMethod"] == [f"{PROFILE_URL}#{OLD}", f"{PROFILE_URL}#{NEW}"]
    resolved = ControllerDocument.parse(document, PROFILE_URL).resolved(f"{PROFILE_URL}#{OLD}")
    assert resolved.controller == PROFILE_URL


def test_credentials_carry_the_profile_under_the_did() -> None:
    assert issuer().credential_profile() == {
        "id": DID,
        "type": ["Profile"],
        "name": "Omnia",
        "url": "https://www.omnia.fi/",
    }
    assert issuer().method_ids() == [f"{DID}#{OLD}", f"{DID}#{NEW}", f"{PROFILE_URL}#{OLD}", f"{PROFILE_URL}#{NEW}"]
