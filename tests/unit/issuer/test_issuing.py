"""badge.eligible -> one signed OpenBadgeCredential that rexvet's verifier accepts, and one badge.issued."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from rexvet_coaching.events import SCHEMAS_DIR as COACHING_SCHEMAS
from rexvet_common.events.catalogue import BY_TYPE
from rexvet_credentials import CheckOutcome, Outcome
from rexvet_credentials.models.identity import IdentityObject
from rexvet_issuer.application import credentials

from .harness import BASE_URL, Issuer, eligible, eventually

pytestmark = pytest.mark.unit


async def issued_records(issuer: Issuer) -> list[dict[str, Any]]:
    page = await issuer.documents.find(credentials.COLLECTION, {"institution": issuer.tenant, "staff_id": "s-1"})
    return page.items


def coaching_accepts(data: dict[str, Any], event_type: str) -> None:
    """The payload fits its catalogue model and the schema coaching says it consumes."""
    BY_TYPE[event_type].payload.model_validate(data)
    schema = json.loads((COACHING_SCHEMAS / "consumed" / f"{event_type}.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


async def test_an_eligibility_becomes_a_credential_that_verifies(issuer: Issuer) -> None:
    data = eligible()
    await issuer.publish_eligible(data)
    await issuer.settled()

    [record] = await issued_records(issuer)
    credential = record["credential"]
    report = await issuer.verify(credential)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    for check in ("parse", "contexts", "structure", "proof", "key_binding", "status", "validity_period"):
        assert report.check(check).outcome is CheckOutcome.PASSED, report.to_dict()
    assert report.check("status").code == "status_active"

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:uuid:{record['credential_uuid']}"
    # Issued under the institution's did:web (the Profile URL was the issuer id before it).
    assert credential["issuer"] == {"id": "did:web:issuer.test:v1:issuers:omnia", "type": ["Profile"], "name": "omnia"}
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"].startswith("did:web:issuer.test:v1:issuers:omnia#z6Mk")
    subject = credential["credentialSubject"]
    assert subject["achievement"] == data["achievement"]
    [identity] = subject["identifier"]
    assert identity["identityType"] == "emailAddress" and identity["hashed"] is True
    assert "sanna" not in json.dumps(identity)
    assert IdentityObject.model_validate(identity).matches("Sanna@omnia.example")
    assert subject["result"] == [
        {
            "type": ["Result"],
            "resultDescription": data["result"]["resultDescription"],
            "achievedLevel": data["result"]["achievedLevel"],
        }
    ]
    assert subject["result"][0]["achievedLevel"].endswith("/levels/rookie")
    assert credential["evidence"] == data["evidence"]
    status = credential["credentialStatus"]  # OB 3.0: one entry, not an array
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    # the list signed under the did:web (the one under the Profile URL is for badges issued before it)
    assert status["statusListCredential"] == f"{BASE_URL}/v1/issuers/omnia/status-lists/1/revocation"
    assert 0 <= int(status["statusListIndex"]) < 131_072

    [issued] = issuer.of_type("badge.issued")
    coaching_accepts(issued.data, issued.type)
    assert issued.partitionkey == "omnia:s-1"
    assert issued.data["credential_id"] == credential["id"]
    assert issued.data["eligibility_id"] == data["eligibility_id"]
    assert (issued.data["badge_id"], issued.data["episode"], issued.data["level"]) == ("abroad-rookie", 1, "rookie")
    published = issuer.of_type("issuer.profile.published")
    assert len(published) == 1 and published[0].data["issuer_id"] == "did:web:issuer.test:v1:issuers:omnia"


async def test_redelivered_and_duplicated_eligibility_yield_one_credential(issuer: Issuer) -> None:
    data = eligible()
    event = await issuer.publish_eligible(data)
    await issuer.republish(event)  # the same event again (at-least-once delivery)
    await issuer.publish_eligible(data)  # the same eligibility in a new event
    await issuer.settled()

    assert len(await issued_records(issuer)) == 1
    assert len(issuer.of_type("badge.issued")) == 1


async def test_a_new_episode_earns_a_new_credential(issuer: Issuer) -> None:
    await issuer.publish_eligible(eligible(episode=1))
    await issuer.publish_eligible(eligible(episode=2))
    await issuer.settled()

    records = await issued_records(issuer)
    assert sorted(r["episode"] for r in records) == [1, 2]
    indexes = {(r["status_list"]["number"], r["status_list"]["index"]) for r in records}
    assert len(indexes) == 2  # each has its own status entry


async def test_a_holder_with_a_did_is_the_subject_id(issuer: Issuer) -> None:
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    await issuer.publish_eligible(eligible(recipient={"staff_id": "s-1", "did": did}))
    await issuer.settled()

    [record] = await issued_records(issuer)
    subject = record["credential"]["credentialSubject"]
    assert subject["id"] == did
    assert "identifier" not in subject
    assert (await issuer.verify(record["credential"])).outcome is Outcome.VERIFIED


async def test_without_email_or_did_the_staff_id_is_the_hashed_identifier(issuer: Issuer) -> None:
    await issuer.publish_eligible(eligible(recipient={"staff_id": "s-1"}))
    await issuer.settled()

    [record] = await issued_records(issuer)
    [identity] = record["credential"]["credentialSubject"]["identifier"]
    assert identity["identityType"] == "sourcedId"
    assert IdentityObject.model_validate(identity).matches("s-1")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d["achievement"].pop("name"), "name"),
        (lambda d: d["result"].update(achievedLevel="https://elsewhere.example/levels/guru"), "achievedLevel"),
        (lambda d: d["achievement"].update(madeUpTerm="x"), "madeUpTerm"),
        (lambda d: d.pop("recipient"), "recipient"),
    ],
)
async def test_an_eligibility_that_cannot_make_a_credential_is_dead_lettered_and_stores_nothing(
    issuer: Issuer, change: Any, why: str
) -> None:
    data = eligible()
    change(data)
    await issuer.publish_eligible(data)

    async def dead_lettered() -> bool:
        return bool(issuer.dead_letters())

    await eventually(dead_lettered)
    await issuer.settled()
    [letter] = issuer.dead_letters()
    assert letter.data["event"]["data"]["eligibility_id"] == data["eligibility_id"]
    assert why.lower() in letter.data["error"].lower(), letter.data["error"]
    assert await issued_records(issuer) == []
    assert issuer.of_type("badge.issued") == []

    # the partition moved on: a good eligibility after it is issued
    await issuer.publish_eligible(eligible(episode=2))
    await issuer.settled()
    assert len(await issued_records(issuer)) == 1
