"""did:web names for https issuers (did_web_for_url, the inverse of the did:web 'Read' rule) and development's
exception: a did:web on a loopback host read over http, only when the resolver is told so."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.didweb import WebKeyResolver, did_web_for_url, did_web_url
from rexvet_credentials.errors import FetchError, KeyResolutionUnavailable
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.ports import FetchedDocument

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("url", "did", "document"),
    [
        (
            "https://issuer.example/v1/issuers/omnia",
            "did:web:issuer.example:v1:issuers:omnia",
            "https://issuer.example/v1/issuers/omnia/did.json",
        ),
        (
            "https://Issuer.Example:8443/v1/issuers/omnia/",
            "did:web:issuer.example%3A8443:v1:issuers:omnia",
            "https://issuer.example:8443/v1/issuers/omnia/did.json",
        ),
        ("https://issuer.example", "did:web:issuer.example", "https://issuer.example/.well-known/did.json"),
        (
            "http://127.0.0.1:8003/v1/issuers/omnia",  # make run: the DID still reads over https by the did:web rule
            "did:web:127.0.0.1%3A8003:v1:issuers:omnia",
            "https://127.0.0.1:8003/v1/issuers/omnia/did.json",
        ),
    ],
)
def test_a_url_names_the_did_web_whose_document_is_under_it(url: str, did: str, document: str) -> None:
    assert did_web_for_url(url) == did
    assert did_web_url(did) == document


@pytest.mark.parametrize(
    "url",
    [
        "ftp://issuer.example/x",
        "https://issuer.example/x?y=1",
        "https://issuer.example/x#k",
        "https://a@b.example/x",
        "https://issuer.example/a/../b",
        "urn:uuid:1b2c",
    ],
)
def test_what_has_no_did_web_name_is_refused(url: str) -> None:
    with pytest.raises(
        ValueError, match=r"is not an https \(or http\) URL|credentials in its host|relative path segment"
    ):
        did_web_for_url(url)


@pytest.mark.parametrize(
    ("did", "expected"),
    [
        ("did:web:127.0.0.1%3A8003:v1:issuers:omnia", "http://127.0.0.1:8003/v1/issuers/omnia/did.json"),
        ("did:web:localhost%3A8003", "http://localhost:8003/.well-known/did.json"),
        ("did:web:127.9.9.9:x", "http://127.9.9.9/x/did.json"),
        ("did:web:issuer.example:v1:issuers:omnia", "https://issuer.example/v1/issuers/omnia/did.json"),
        ("did:web:10.0.0.1%3A8003:x", "https://10.0.0.1:8003/x/did.json"),  # private is not loopback: https
        ("did:web:127.0.0.1.evil.example:x", "https://127.0.0.1.evil.example/x/did.json"),
    ],
)
def test_development_reads_only_loopback_did_webs_over_http(did: str, expected: str) -> None:
    assert did_web_url(did, http_on_loopback=True) == expected
    assert did_web_url(did) == expected.replace("http://", "https://")


class Documents:
    """Our DocumentFetcher port, answering one URL."""

    def __init__(self, url: str, document: dict[str, object]) -> None:
        self.url, self.document = url, document
        self.asked: list[str] = []

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        self.asked.append(url)
        if url != self.url:
            raise FetchError(f"{url} is not served here", code="fetch_http_status")
        return FetchedDocument(url, json.dumps(self.document).encode(), "application/did+json")


async def test_the_resolver_reads_a_loopback_did_web_over_http_only_when_told() -> None:
    did = "did:web:127.0.0.1%3A8003:v1:issuers:omnia"
    key = Ed25519SigningKey.generate(controller=did)
    method = {
        "id": key.verification_method,
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": key.public_key_multibase,
    }
    documents = Documents(
        "http://127.0.0.1:8003/v1/issuers/omnia/did.json",
        {"id": did, "verificationMethod": [method], "assertionMethod": [key.verification_method]},
    )
    resolved = await WebKeyResolver(documents, CLOCK, did_web_http_on_loopback=True).resolve(key.verification_method)
    assert (resolved.controller, resolved.purposes) == (did, frozenset({"assertionMethod"}))

    with pytest.raises(KeyResolutionUnavailable):
        await WebKeyResolver(documents, CLOCK).resolve(key.verification_method)
    assert documents.asked[-1] == "https://127.0.0.1:8003/v1/issuers/omnia/did.json"
