"""Each status list published under both of the institution's identities, and the lists stored before the did:web
(no did:web copy yet) migrated when first asked for: same bits, signed under the did:web, kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.status.bitstring import Bitstring
from rexvet_issuer.application.status_lists import COLLECTION, IDENTITIES, Identity, StatusLists

pytestmark = pytest.mark.unit

PROFILE_URL = "https://issuer.test/v1/issuers/omnia"
DID = "did:web:issuer.test:v1:issuers:omnia"
PRIVATE = Ed25519SigningKey.generate().private_key
KEYS: dict[Identity, Ed25519SigningKey] = {
    "did": Ed25519SigningKey.from_private_key(PRIVATE, controller=DID),
    "profile": Ed25519SigningKey.from_private_key(PRIVATE, controller=PROFILE_URL),
}


@pytest.fixture
async def lists(tmp_path: Path) -> AsyncIterator[StatusLists]:
    store = SqliteDocumentStore(tmp_path / "lists.sqlite3")

    async def signing_key(institution: str, identity: Identity) -> Ed25519SigningKey:
        return KEYS[identity]

    status_lists = StatusLists(store, base_url="https://issuer.test", signing_key=signing_key, ttl=timedelta(0))
    await status_lists.prepare()
    try:
        yield status_lists
    finally:
        await store.close()


async def test_each_identity_has_its_signed_copy_of_the_same_bits(lists: StatusLists) -> None:
    allocation = await lists.allocate("omnia", "e-1")
    assert await lists.set_status(allocation, "revocation", True)
    cases: list[tuple[Identity, str, str]] = [
        ("did", DID, f"{PROFILE_URL}/status-lists/1/revocation"),
        ("profile", PROFILE_URL, f"{PROFILE_URL}/status/1/revocation"),
    ]
    for identity, issuer, url in cases:
        listed = await lists.list_credential("omnia", 1, "revocation", identity)
        assert listed is not None
        assert (listed["issuer"], listed["id"], listed["proof"]["verificationMethod"]) == (
            issuer,
            url,
            KEYS[identity].verification_method,
        )
        assert Bitstring.decode(listed["credentialSubject"]["encodedList"]).get(allocation.index)


async def test_a_list_stored_before_the_did_web_gets_its_did_web_copy_when_first_asked(lists: StatusLists) -> None:
    allocation = await lists.allocate("omnia", "e-1")
    await lists.set_status(allocation, "revocation", True)
    stored = await lists.documents.get(COLLECTION, "omnia:1")
    assert stored is not None
    # as a list was stored before the did:web: `credentials` only (signed under the Profile URL)
    before = {name: value for name, value in stored.items() if name != "did_credentials"}
    await lists.documents.replace(COLLECTION, before)
    old = before["credentials"]["revocation"]

    migrated = await lists.list_credential("omnia", 1, "revocation", "did")
    assert migrated is not None and migrated["issuer"] == DID
    assert Bitstring.decode(migrated["credentialSubject"]["encodedList"]).get(allocation.index)  # the stored bits
    kept = await lists.documents.get(COLLECTION, "omnia:1")
    assert kept is not None and kept["did_credentials"] == {"revocation": migrated}  # signed once, then served
    assert await lists.list_credential("omnia", 1, "revocation", "did") == migrated
    assert await lists.list_credential("omnia", 1, "revocation", "profile") == old  # untouched

    # a later change re-signs both copies
    await lists.set_status(allocation, "revocation", False)
    for identity in IDENTITIES:
        listed = await lists.list_credential("omnia", 1, "revocation", identity)
        assert listed is not None
        assert not Bitstring.decode(listed["credentialSubject"]["encodedList"]).get(allocation.index)
