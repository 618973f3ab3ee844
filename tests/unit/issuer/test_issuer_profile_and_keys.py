"""Issuer identities: one Profile per institution that is also the controller document of its Ed25519 keys; keys
sealed at rest under the KEK, rotated without breaking what they signed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rexvet_common.errors import ConfigurationError
from rexvet_common.settings import PlatformSettings, load_settings
from rexvet_credentials import Outcome
from rexvet_issuer.adapters.key_vault import KeyDecryptionError, KeyVault
from rexvet_issuer.application import issuers
from rexvet_issuer.settings import IssuerSettings

from .harness import BASE_URL, Issuer, eligible, issuer_service

pytestmark = pytest.mark.unit

PROFILE = {
    "name": "Omnia, the Joint Authority of Education in Espoo Region",
    "url": "https://www.omnia.fi/",
    "email": "international@omnia.fi",
    "image": "https://www.omnia.fi/logo.png",
    "parentOrg": {"id": "https://rexvet.eu/", "name": "REX VET consortium"},
}


async def test_an_institution_admin_publishes_the_profile_with_its_keys(issuer: Issuer) -> None:
    admin = issuer.auth("a-1", "institution-admin")
    response = await issuer.client.put("/v1/issuer/profile", json=PROFILE, headers=admin)
    assert response.status_code == 200, response.text
    document = response.json()

    issuer_id = f"{BASE_URL}/v1/issuers/omnia"
    assert document["id"] == issuer_id
    assert document["type"] == ["Profile"]
    assert document["name"] == PROFILE["name"]
    assert document["image"] == {"id": PROFILE["image"], "type": "Image"}
    assert document["parentOrg"] == {"id": "https://rexvet.eu/", "type": ["Profile"], "name": "REX VET consortium"}
    [method] = document["verificationMethod"]
    assert method["type"] == "Multikey" and method["controller"] == issuer_id
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert method["id"] == f"{issuer_id}#{method['publicKeyMultibase']}"
    assert document["assertionMethod"] == [method["id"]]

    did = "did:web:issuer.test:v1:issuers:omnia"
    assert document["alsoKnownAs"] == [did]
    public = await issuer.client.get("/v1/issuers/omnia")  # no token: anyone resolves the issuer's keys
    assert public.status_code == 200
    assert public.json() == document

    # The did:web document, where did:web resolution reads did:web:issuer.test:v1:issuers:omnia (did:web spec 3.2).
    response = await issuer.client.get("/v1/issuers/omnia/did.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/did+json"
    did_method = f"{did}#{method['publicKeyMultibase']}"
    assert response.json() == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "alsoKnownAs": [issuer_id],
        "verificationMethod": [
            {
                "id": did_method,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": method["publicKeyMultibase"],
            }
        ],
        "assertionMethod": [did_method],
    }
    assert (await issuer.client.get("/v1/issuers/nobody/did.json")).status_code == 404

    await issuer.settled()
    published = issuer.of_type("issuer.profile.published")
    assert [e.data["profile"]["name"] for e in published] == ["omnia", PROFILE["name"]]  # created, then changed
    assert {e.data["issuer_id"] for e in published} == {did}
    assert published[-1].data["profile"]["id"] == did
    assert published[-1].data["also_known_as"] == [issuer_id]
    assert published[-1].data["verification_methods"] == [did_method, method["id"]]


async def test_the_private_key_never_leaves_and_is_sealed_at_rest(issuer: Issuer) -> None:
    admin = issuer.auth("a-1", "institution-admin")
    await issuer.client.put("/v1/issuer/profile", json=PROFILE, headers=admin)
    await issuer.settled()
    stored = await issuer.documents.get(issuers.COLLECTION, "omnia")
    assert stored is not None
    [key] = stored["keys"]
    assert key["sealed"].startswith("aes256gcm:")
    everything_public = json.dumps(
        [(await issuer.client.get("/v1/issuers/omnia")).json(), [e.data for _, e in issuer.emitted]]
    )
    assert key["sealed"].split(":")[-1] not in everything_public
    assert "secretKeyMultibase" not in everything_public and "sealed" not in everything_public
    with pytest.raises(KeyDecryptionError):
        KeyVault(b"\x01" * 32).open(key["sealed"], tenant="omnia", key_id=key["id"])
    with pytest.raises(KeyDecryptionError):  # bound to its tenant: not usable as another institution's key
        registry = issuer.app.state.runtime.context.issuers
        registry.vault.open(key["sealed"], tenant="other", key_id=key["id"])


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("manager", 403), ("coach", 403)])
async def test_only_an_institution_admin_changes_the_profile(issuer: Issuer, role: str, status: int) -> None:
    response = await issuer.client.put("/v1/issuer/profile", json=PROFILE, headers=issuer.auth("x", role))
    assert response.status_code == status
    assert (await issuer.client.post("/v1/issuer/keys:rotate", headers=issuer.auth("x", role))).status_code == status


@pytest.mark.parametrize(
    "body",
    [{"url": "https://x.example"}, {"name": ""}, {"name": "x", "email": "not an address"}, {"name": "x", "logo": "y"}],
)
async def test_a_bad_profile_is_a_problem(issuer: Issuer, body: dict[str, Any]) -> None:
    response = await issuer.client.put("/v1/issuer/profile", json=body, headers=issuer.auth("a", "institution-admin"))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unknown_issuer_is_404(issuer: Issuer) -> None:
    assert (await issuer.client.get("/v1/issuers/nobody")).status_code == 404
    assert (await issuer.client.get("/v1/issuers/..%2Fx")).status_code == 404


async def test_credentials_carry_the_profile_as_it_was_when_issued(issuer: Issuer) -> None:
    admin = issuer.auth("a-1", "institution-admin")
    assert (await issuer.client.put("/v1/issuer/profile", json=PROFILE, headers=admin)).status_code == 200
    await issuer.publish_eligible(eligible())
    await issuer.settled()
    [record] = (await issuer.documents.find("credentials", {"institution": "omnia", "staff_id": "s-1"})).items
    credential = record["credential"]
    assert credential["issuer"]["name"] == PROFILE["name"]
    assert credential["issuer"]["parentOrg"]["name"] == "REX VET consortium"
    assert "verificationMethod" not in credential["issuer"]
    assert (await issuer.verify(credential)).outcome is Outcome.VERIFIED


async def test_rotation_keeps_old_credentials_verifying(issuer: Issuer) -> None:
    await issuer.publish_eligible(eligible(episode=1))
    await issuer.settled()
    admin = issuer.auth("a-1", "institution-admin")
    response = await issuer.client.post("/v1/issuer/keys:rotate", headers=admin)
    assert response.status_code == 200, response.text
    document = response.json()
    old_key, new_key = document["verificationMethod"]
    assert document["assertionMethod"] == [old_key["id"], new_key["id"]]

    await issuer.publish_eligible(eligible(episode=2))
    await issuer.settled()
    page = await issuer.documents.find("credentials", {"institution": "omnia", "staff_id": "s-1"})
    by_episode = {r["episode"]: r["credential"] for r in page.items}
    did = "did:web:issuer.test:v1:issuers:omnia"
    old_method, new_method = (f"{did}#{key['publicKeyMultibase']}" for key in (old_key, new_key))
    assert by_episode[1]["proof"]["verificationMethod"] == old_method
    assert by_episode[2]["proof"]["verificationMethod"] == new_method
    did_document = (await issuer.client.get("/v1/issuers/omnia/did.json")).json()
    assert did_document["assertionMethod"] == [old_method, new_method]
    for credential in by_episode.values():
        report = await issuer.verify(credential)
        assert report.outcome is Outcome.VERIFIED, report.to_dict()
    rotated = issuer.of_type("issuer.profile.published")[-1]
    assert rotated.data["verification_methods"] == [old_method, new_method, old_key["id"], new_key["id"]]


async def test_keys_survive_a_restart_with_the_generated_development_kek(tmp_path: Path) -> None:
    async with issuer_service(tmp_path) as first:
        await first.publish_eligible(eligible(episode=1))
        await first.settled()
    kek_file = tmp_path / "var" / "issuer" / "key-encryption-key"
    assert kek_file.stat().st_mode & 0o077 == 0
    async with issuer_service(tmp_path) as second:  # same data directory, same stores: the same KEK is read
        await second.publish_eligible(eligible(episode=2))
        await second.settled()
        page = await second.documents.find("credentials", {"institution": "omnia", "staff_id": "s-1"})
        assert len(page.items) == 2
        keys = {r["credential"]["proof"]["verificationMethod"] for r in page.items}
        assert len(keys) == 1  # the stored key was unsealed and reused, not replaced


@pytest.mark.parametrize("kek", [None, "changeme", "placeholder-kek"])
def test_production_refuses_a_missing_or_placeholder_kek(monkeypatch: pytest.MonkeyPatch, kek: str | None) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    if kek is not None:
        monkeypatch.setenv("REXVET_ISSUER_KEY_ENCRYPTION_KEY", kek)
    monkeypatch.setenv("REXVET_ISSUER_PUBLIC_URL", "https://issuer.omnia.fi")
    with pytest.raises(ConfigurationError, match="REXVET_ISSUER_KEY_ENCRYPTION_KEY"):
        load_settings(IssuerSettings, platform=PlatformSettings())


@pytest.mark.parametrize("url", [None, "http://issuer.omnia.fi"])
def test_production_needs_an_https_public_url(monkeypatch: pytest.MonkeyPatch, url: str | None) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    monkeypatch.setenv("REXVET_ISSUER_KEY_ENCRYPTION_KEY", "hX0tF0m3C9lYtJ6oV5n2rQ8sW1aZ4bE7cD6gH3jK9mI")
    if url is not None:
        monkeypatch.setenv("REXVET_ISSUER_PUBLIC_URL", url)
    with pytest.raises(ConfigurationError, match="REXVET_ISSUER_PUBLIC_URL") as refused:
        load_settings(IssuerSettings, platform=PlatformSettings())
    assert "KEY_ENCRYPTION_KEY" not in str(refused.value)
    monkeypatch.setenv("REXVET_ISSUER_PUBLIC_URL", "https://issuer.omnia.fi")
    assert load_settings(IssuerSettings, platform=PlatformSettings()).base_url == "https://issuer.omnia.fi"


async def test_a_kek_of_the_wrong_size_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="32 bytes"):
        async with issuer_service(tmp_path, key_encryption_key="c2hvcnQ"):
            pass
