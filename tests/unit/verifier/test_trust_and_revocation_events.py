"""The verifier's consumer group on the embedded bus: issuer profiles make the trust registry, revocations drop
cached status lists (and a changed profile drops the cached key document)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pydantic
import pytest

from rexvet_common.events.catalogue import IssuerProfilePublished
from rexvet_common.events.envelope import new_event
from rexvet_verifier.bootstrap import VerifierContext

from .credentials import KEY, LIST_URL, signed, signed_list, with_status
from .harness import Service, checks_by_id, eventually, serve_issuer_of

pytestmark = pytest.mark.unit


def profile_event(name: str, issuer_id: str = KEY.controller) -> dict[str, Any]:
    return {
        "institution": "omnia",
        "issuer_id": issuer_id,
        "profile": {"id": issuer_id, "type": ["Profile"], "name": name},
        "verification_methods": [f"{issuer_id}#{issuer_id.removeprefix('did:key:')}"],
    }


def context_of(service: Service) -> VerifierContext:
    context = service.app.state.runtime.context
    assert isinstance(context, VerifierContext)
    return context


async def test_a_published_issuer_profile_makes_the_issuer_trusted(service: Service) -> None:
    credential = signed()
    before = checks_by_id(await service.verify_json(credential))["registered_issuer"]
    assert (before["outcome"], before["code"], before["severity"]) == ("failed", "issuer_not_registered", "warning")

    await service.publish_issuer_event("issuer.profile.published", profile_event("Omnia, Espoo"))

    async def registered() -> bool:
        check = checks_by_id(await service.verify_json(credential))["registered_issuer"]
        return bool(check["outcome"] == "passed")

    await eventually(registered)
    report = await service.verify_json(credential)
    check = checks_by_id(report)["registered_issuer"]
    assert check["code"] == "issuer_registered" and "Omnia, Espoo" in check["message"]
    assert report["outcome"] == "verified" and report["warnings"] == []


async def test_profiles_are_applied_once_and_an_older_one_never_wins(service: Service) -> None:
    consumer = context_of(service).consumer
    now = datetime.now(UTC)
    newer = new_event(
        type="org.rexvet.issuer.profile.published.v1",
        source="t",
        key="omnia:issuer",
        data=profile_event("Omnia (2026)"),
        time=now,
    )
    older = new_event(
        type="org.rexvet.issuer.profile.published.v1",
        source="t",
        key="omnia:issuer",
        data=profile_event("Omnia (old name)"),
        time=now - timedelta(days=30),
    )
    await consumer.handle(newer)
    await consumer.handle(older)
    await consumer.handle(newer)
    entry = await context_of(service).registry.lookup(KEY.controller)
    assert entry is not None and entry.name == "Omnia (2026)"
    assert await context_of(service).registry.lookup("did:key:z6MkUnknown") is None


async def test_a_malformed_profile_event_raises_for_the_bus_to_dead_letter(service: Service) -> None:
    event = new_event(
        type="org.rexvet.issuer.profile.published.v1", source="t", key="omnia:issuer", data={"institution": "omnia"}
    )
    with pytest.raises(pydantic.ValidationError):
        await context_of(service).consumer.handle(event)


def revoked_event(list_url: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "institution": "omnia",
        "staff_id": "s-1",
        "credential_id": "urn:uuid:7a4f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
        "badge_id": "home-rookie",
        "reason": "issued in error",
        "changed_at": datetime.now(UTC).isoformat(),
    }
    if list_url is not None:
        data["status_list_credential"] = list_url
    return data


async def test_badge_revoked_drops_the_cached_status_list(service: Service) -> None:
    assert service.documents is not None
    credential = with_status(index=7)
    service.documents.add(LIST_URL, json.dumps(signed_list()).encode())
    assert (await service.verify_json(credential))["outcome"] == "verified"

    # The issuer revokes: its list changes, but the verifier holds the verified list for its ttl.
    service.documents.add(LIST_URL, json.dumps(signed_list(revoked=(7,))).encode())
    assert (await service.verify_json(credential))["outcome"] == "verified"
    # An event that names no list cannot drop anything.
    await service.publish_issuer_event("badge.revoked", revoked_event(None))
    await service.publish_issuer_event("badge.revoked", revoked_event(LIST_URL))

    async def revoked() -> bool:
        return bool((await service.verify_json(credential))["outcome"] == "failed")

    await eventually(revoked)
    status = checks_by_id(await service.verify_json(credential))["status"]
    assert (status["outcome"], status["code"]) == ("failed", "status_revoked")


async def test_an_event_without_the_list_url_leaves_the_cache(service: Service) -> None:
    assert service.documents is not None
    credential = with_status(index=9)
    service.documents.add(LIST_URL, json.dumps(signed_list()).encode())
    assert (await service.verify_json(credential))["outcome"] == "verified"
    service.documents.add(LIST_URL, json.dumps(signed_list(revoked=(9,))).encode())
    await context_of(service).invalidation.handle(
        new_event(type="org.rexvet.badge.revoked.v1", source="t", key="omnia:s-1", data=revoked_event(None))
    )
    assert (await service.verify_json(credential))["outcome"] == "verified"  # until the list's ttl runs out


async def test_a_published_profile_drops_the_cached_key_document(service: Service, validator_dir: Path) -> None:
    assert service.documents is not None
    data = (validator_dir / "simple.json").read_bytes()
    issuer = serve_issuer_of(service.documents, data)
    assert (await service.verify_json(json.loads(data)))["outcome"] == "verified"

    # The issuer rotates its key: the old one is no longer listed. The verifier still holds the old document...
    other = KEY.controller.removeprefix("did:key:")  # another Ed25519 key than the file's
    rotated = {
        "id": issuer,
        "type": "Profile",
        "verificationMethod": [{"id": f"{issuer}#{other}", "type": "Multikey", "publicKeyMultibase": other}],
        "assertionMethod": [f"{issuer}#{other}"],
    }
    service.documents.add(issuer, json.dumps(rotated).encode())
    assert (await service.verify_json(json.loads(data)))["outcome"] == "verified"
    # ...until the issuer's profile is published again.
    await service.publish_issuer_event("issuer.profile.published", profile_event("Example issuer", issuer_id=issuer))

    async def key_gone() -> bool:
        return bool((await service.verify_json(json.loads(data)))["outcome"] == "failed")

    await eventually(key_gone)
    proof = checks_by_id(await service.verify_json(json.loads(data)))["proof"]
    assert proof["code"] == "key_not_found"


async def test_a_status_change_retries_a_list_that_could_not_be_fetched(service: Service) -> None:
    assert service.documents is not None
    credential = with_status(index=11)
    assert (await service.verify_json(credential))["outcome"] == "incomplete"  # the list is not served yet
    service.documents.add(LIST_URL, json.dumps(signed_list(revoked=(11,))).encode())
    # The failure is remembered for a while (a public verifier must not re-fetch for every anonymous request)...
    assert (await service.verify_json(credential))["outcome"] == "incomplete"
    # ...but the issuer's own event says the list changed: the next verification fetches it.
    await service.publish_issuer_event("badge.revoked", revoked_event(LIST_URL))

    async def fetched_again() -> bool:
        return bool((await service.verify_json(credential))["outcome"] == "failed")

    await eventually(fetched_again)


async def test_an_issuer_stays_registered_under_the_id_it_had_before_its_did_web(service: Service) -> None:
    """The issuer publishes its did:web as `issuer_id` and its Profile URL under `also_known_as`: badges issued
    under either id are from a registered issuer."""
    did, profile_url = "did:web:issuer.test:v1:issuers:omnia", "https://issuer.test/v1/issuers/omnia"
    consumer = context_of(service).consumer
    data = {**profile_event("Omnia", issuer_id=did), "also_known_as": [profile_url]}
    event = new_event(type="org.rexvet.issuer.profile.published.v1", source="t", key="omnia:issuer", data=data)
    await consumer.handle(event)
    registry = context_of(service).registry
    for issuer_id in (did, profile_url):
        entry = await registry.lookup(issuer_id)
        assert entry is not None and (entry.id, entry.name) == (issuer_id, "Omnia"), issuer_id
    assert await registry.lookup("https://issuer.test/v1/issuers/other") is None
    # applied once: the same event again changes nothing and says so
    assert not await registry.record(
        IssuerProfilePublished.model_validate(data), event_id=event.id, published_at=event.time
    )
