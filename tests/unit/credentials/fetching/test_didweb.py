"""did:web and https controller documents, fetched through the DocumentFetcher port, and their cache."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from rexvet_credentials.didweb import WebKeyResolver, did_web_url
from rexvet_credentials.errors import KeyResolutionError, KeyResolutionUnavailable
from rexvet_credentials.jwt.jwk import public_jwk
from rexvet_credentials.multikey import encode_ed25519_public, encode_p256_public
from rexvet_credentials.ports import KeyResolver

from ..fakes import FakeFetcher, SteppingClock

pytestmark = pytest.mark.unit

ED_KEY = Ed25519PrivateKey.generate()
P256_KEY = ec.generate_private_key(ec.SECP256R1())
DID = "did:web:issuer.example:orgs:vet"
DID_URL = "https://issuer.example/orgs/vet/did.json"


def did_document() -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [
            {
                "id": f"{DID}#key-1",
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": encode_ed25519_public(ED_KEY.public_key()),
            },
            {"id": "#key-2", "type": "JsonWebKey", "controller": DID, "publicKeyJwk": public_jwk(P256_KEY)},
        ],
        "assertionMethod": [f"{DID}#key-1", "#key-2"],
        "authentication": [f"{DID}#key-1"],
    }


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
    ],
)
def test_did_web_urls_follow_the_specification(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize("did", ["did:web:", "did:web:example.com:..:x", "did:web:a%2Fb"])
def test_invalid_did_web(did: str) -> None:
    with pytest.raises(KeyResolutionError):
        did_web_url(did)


def test_is_a_key_resolver() -> None:
    assert isinstance(WebKeyResolver(FakeFetcher(), SteppingClock()), KeyResolver)


async def test_resolves_multikey_and_jwk_methods_with_their_purposes() -> None:
    fetcher = FakeFetcher(documents={DID_URL: did_document()})
    resolver = WebKeyResolver(fetcher, SteppingClock())
    first = await resolver.resolve(f"{DID}#key-1")
    assert first.controller == DID
    assert isinstance(first.public_key, Ed25519PublicKey)
    assert first.public_key.public_bytes_raw() == ED_KEY.public_key().public_bytes_raw()
    assert first.purposes == frozenset({"assertionMethod", "authentication"})
    second = await resolver.resolve(f"{DID}#key-2")
    assert isinstance(second.public_key, ec.EllipticCurvePublicKey)
    assert second.public_key.public_numbers() == P256_KEY.public_key().public_numbers()
    assert second.method_type == "JsonWebKey"
    assert second.purposes == frozenset({"assertionMethod"})


async def test_documents_are_cached_then_refetched() -> None:
    fetcher = FakeFetcher(documents={DID_URL: did_document()})
    clock = SteppingClock()
    resolver = WebKeyResolver(fetcher, clock, ttl=timedelta(minutes=5))
    await resolver.resolve(f"{DID}#key-1")
    await resolver.resolve(f"{DID}#key-2")
    assert fetcher.fetched == [DID_URL]
    clock.advance(timedelta(minutes=6))
    await resolver.resolve(f"{DID}#key-1")
    assert fetcher.fetched == [DID_URL, DID_URL]


async def test_the_cache_holds_at_most_its_limit_dropping_the_longest_held() -> None:
    documents = {}
    for n in range(3):
        did = f"did:web:issuer{n}.example"
        documents[f"https://issuer{n}.example/.well-known/did.json"] = {**did_document(), "id": did}
    fetcher = FakeFetcher(documents=documents)
    resolver = WebKeyResolver(fetcher, SteppingClock(), max_documents=2)
    for n in (0, 1, 2):  # the third pushes the first out
        await resolver.document(f"did:web:issuer{n}.example")
    await resolver.document("did:web:issuer2.example")
    await resolver.document("did:web:issuer1.example")
    assert len(fetcher.fetched) == 3  # both still held
    await resolver.document("did:web:issuer0.example")
    assert fetcher.fetched[-1] == "https://issuer0.example/.well-known/did.json"  # it had been dropped
    assert len(fetcher.fetched) == 4


async def test_unknown_method_is_a_definite_failure() -> None:
    resolver = WebKeyResolver(FakeFetcher(documents={DID_URL: did_document()}), SteppingClock())
    with pytest.raises(KeyResolutionError) as info:
        await resolver.resolve(f"{DID}#key-9")
    assert info.value.code == "key_not_found"


async def test_unreachable_document_is_unavailable_not_failed() -> None:
    fetcher = FakeFetcher(failures={DID_URL: "fetch_timeout"})
    with pytest.raises(KeyResolutionUnavailable):
        await WebKeyResolver(fetcher, SteppingClock()).resolve(f"{DID}#key-1")


async def test_document_on_a_refused_address_is_a_failure() -> None:
    fetcher = FakeFetcher(failures={DID_URL: "fetch_refused_private_address"})
    with pytest.raises(KeyResolutionError) as info:
        await WebKeyResolver(fetcher, SteppingClock()).resolve(f"{DID}#key-1")
    assert info.value.code == "controller_document_refused"


async def test_document_claiming_another_id_is_refused() -> None:
    document = {**did_document(), "id": "did:web:attacker.example"}
    with pytest.raises(KeyResolutionError) as info:
        await WebKeyResolver(FakeFetcher(documents={DID_URL: document}), SteppingClock()).resolve(f"{DID}#key-1")
    assert info.value.code == "controller_document_mismatch"


async def test_https_controller_document_and_fragment_key_convention() -> None:
    issuer = "https://issuer.example/issuers/565049"
    multibase = encode_ed25519_public(ED_KEY.public_key())
    profile = {
        "id": issuer,
        "type": "Profile",
        "verificationMethod": [{"id": f"{issuer}#{multibase}", "type": "Multikey", "publicKeyMultibase": multibase}],
        "assertionMethod": [f"{issuer}#{multibase}"],
    }
    resolver = WebKeyResolver(FakeFetcher(documents={issuer: profile}), SteppingClock())
    key = await resolver.resolve(f"{issuer}#{multibase}")
    assert key.controller == issuer
    # A key written after the issuer's URL but not listed by the issuer's document is not the issuer's key.
    other = encode_ed25519_public(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(KeyResolutionError):
        await resolver.resolve(f"{issuer}#{other}")


async def test_fragment_key_is_not_trusted_when_the_issuer_document_cannot_be_fetched() -> None:
    issuer = "https://example.com/issuers/876543"
    with pytest.raises(KeyResolutionUnavailable):
        await WebKeyResolver(FakeFetcher(failures={issuer: "fetch_dns_failed"}), SteppingClock()).resolve(
            f"{issuer}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
        )


async def test_assertion_keys_of_an_issuer() -> None:
    resolver = WebKeyResolver(FakeFetcher(documents={DID_URL: did_document()}), SteppingClock())
    keys = await resolver.assertion_keys(DID)
    assert sorted(k.id for k in keys) == [f"{DID}#key-1", f"{DID}#key-2"]
    did_key = "did:key:" + encode_p256_public(P256_KEY.public_key())
    (only,) = await resolver.assertion_keys(did_key)
    assert only.controller == did_key


async def test_a_document_cannot_give_its_key_to_another_controller() -> None:
    # did:web:attacker publishes a key it says is controlled by the victim: the binding must not follow it.
    attacker = "did:web:attacker.example"
    document = {
        "id": attacker,
        "verificationMethod": [
            {
                "id": f"{attacker}#k",
                "type": "Multikey",
                "controller": "did:web:victim.example",
                "publicKeyMultibase": encode_ed25519_public(ED_KEY.public_key()),
            }
        ],
        "assertionMethod": [f"{attacker}#k"],
    }
    fetcher = FakeFetcher(documents={"https://attacker.example/.well-known/did.json": document})
    with pytest.raises(KeyResolutionError) as info:
        await WebKeyResolver(fetcher, SteppingClock()).resolve(f"{attacker}#k")
    assert info.value.code == "controller_mismatch"
