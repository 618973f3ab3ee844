"""Rotating the key-encryption key: with the former KEK given as previous, stored keys are re-sealed at start and
keep signing as the same verification methods; a KEK that opens no stored key stops the service at start."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import pytest

from rexvet_common.errors import ConfigurationError
from rexvet_credentials import Outcome
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_issuer.adapters.key_vault import KeyDecryptionError, KeyVault, kek_id
from rexvet_issuer.application import issuers

from .harness import eligible, issuer_service

pytestmark = pytest.mark.unit


def new_kek() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def raw(kek: str) -> bytes:
    return base64.urlsafe_b64decode(kek + "=")


async def test_a_rotated_kek_re_seals_the_stored_keys_at_start(tmp_path: Path) -> None:
    old, new = new_kek(), new_kek()
    async with issuer_service(tmp_path, key_encryption_key=old) as first:
        await first.publish_eligible(eligible(episode=1))
        await first.settled()
        before = await first.documents.get(issuers.COLLECTION, "omnia")
    assert before is not None
    [sealed_before] = [key["sealed"] for key in before["keys"]]
    assert sealed_before.split(":")[1] == kek_id(raw(old))

    async with issuer_service(tmp_path, key_encryption_key=new, previous_key_encryption_keys=old) as second:
        after = await second.documents.get(issuers.COLLECTION, "omnia")
        assert after is not None
        [key] = after["keys"]
        assert key["sealed"].split(":")[1] == kek_id(raw(new))
        assert key["id"] == before["keys"][0]["id"]  # the same key, so the same verification method
        await second.settled()
        # the observer group resumes where the first run left it: re-sealing published nothing (public keys unchanged)
        assert second.of_type("issuer.profile.published") == []

    async with issuer_service(tmp_path, key_encryption_key=new) as third:  # the former KEK is no longer needed
        await third.publish_eligible(eligible(episode=2))
        await third.settled()
        page = await third.documents.find("credentials", {"institution": "omnia", "staff_id": "s-1"})
        assert sorted(r["episode"] for r in page.items) == [1, 2]
        assert len({r["credential"]["proof"]["verificationMethod"] for r in page.items}) == 1
        for record in page.items:
            assert (await third.verify(record["credential"])).outcome is Outcome.VERIFIED


async def test_a_kek_that_opens_no_stored_key_stops_the_start(tmp_path: Path) -> None:
    async with issuer_service(tmp_path, key_encryption_key=new_kek()) as first:
        await first.publish_eligible(eligible())
        await first.settled()
    with pytest.raises(ConfigurationError, match=r"omnia.*REXVET_ISSUER_PREVIOUS_KEY_ENCRYPTION_KEYS"):
        async with issuer_service(tmp_path, key_encryption_key=new_kek()):
            pass


def test_the_vault_opens_what_a_previous_kek_sealed_and_names_the_kek() -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    private = Ed25519SigningKey.generate().private_key
    sealed = KeyVault(old).seal(private, tenant="omnia", key_id="k1")
    rotating = KeyVault(new, [old])
    assert not rotating.sealed_under_current(sealed)
    resealed = rotating.reseal(sealed, tenant="omnia", key_id="k1")
    assert rotating.sealed_under_current(resealed)
    assert KeyVault(new).open(resealed, tenant="omnia", key_id="k1").private_bytes_raw() == private.private_bytes_raw()
    with pytest.raises(KeyDecryptionError):
        KeyVault(new).open(sealed, tenant="omnia", key_id="k1")
    with pytest.raises(KeyDecryptionError):  # bound to its key id as well as its tenant
        rotating.open(resealed, tenant="omnia", key_id="k2")
    legacy = ":".join(part for n, part in enumerate(sealed.split(":")) if n != 1)  # the first format: no KEK name
    assert rotating.open(legacy, tenant="omnia", key_id="k1").private_bytes_raw() == private.private_bytes_raw()
