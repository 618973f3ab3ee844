"""Return for revision over HTTP: a coach returns evidence with a comment, its owner revises and resubmits, and every
review and submission stays readable; each refusal is a problem that says what to do instead."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from rexvet_common.events import topics
from rexvet_issuer.token_service.tokens import mint_access_token

from .harness import AUDIENCE, ISSUER, Service, assert_problem, valid_payload

pytestmark = pytest.mark.unit

RETURNED = "org.rexvet.evidence.returned.v1"
RESUBMITTED = "org.rexvet.evidence.resubmitted.v1"
REVIEWED = "org.rexvet.evidence.reviewed.v1"
RETURN = {"decision": "returned", "comment": "Add the host school's letter"}


async def review(service: Service, evidence_id: str, body: dict[str, Any], coach: str = "carol"):  # type: ignore[no-untyped-def]
    return await service.client.post(
        f"/v1/evidence/{evidence_id}/review", json=body, headers=service.auth(coach, "coach")
    )


async def resubmit(service: Service, evidence_id: str, body: dict[str, Any] | None = None, sub: str = "alice"):  # type: ignore[no-untyped-def]
    return await service.client.post(f"/v1/evidence/{evidence_id}/resubmit", json=body, headers=service.auth(sub))


async def read(service: Service, evidence_id: str, sub: str = "alice", role: str = "staff") -> dict[str, Any]:
    response = await service.client.get(f"/v1/evidence/{evidence_id}", headers=service.auth(sub, role))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_returned_resubmitted_approved_with_its_history_and_events(service: Service) -> None:
    evidence = await service.submit(badge_id="abroad-rookie", requirement_id="mobility")
    eid = evidence["id"]
    assert evidence["reviews"] == []
    assert [s["number"] for s in evidence["submissions"]] == [1]

    returned = await review(service, eid, RETURN)
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    assert returned.json()["review"]["comment"] == "Add the host school's letter"

    listed = await service.client.get("/v1/evidence?state=returned", headers=service.auth("carol", "coach"))
    assert [item["id"] for item in listed.json()["items"]] == [eid]
    queue = await service.client.get("/v1/evidence?state=submitted", headers=service.auth("carol", "coach"))
    assert queue.json()["items"] == []

    again = await resubmit(service, eid, {"description": "The letter is attached", "url": "https://pf.example/a"})
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "submitted"

    approved = await review(service, eid, {"decision": "approved", "narrative": "Job shadowing"}, coach="dave")
    assert approved.status_code == 200, approved.text

    for reader, role in (("alice", "staff"), ("carol", "coach")):
        seen = await read(service, eid, reader, role)
        assert seen["status"] == "approved"
        assert seen["review"]["reviewer"] == "dave"  # the latest, as before the history existed
        assert [(r["decision"], r["reviewer"], r["comment"], r["submission"]) for r in seen["reviews"]] == [
            ("returned", "carol", "Add the host school's letter", 1),
            ("approved", "dave", None, 2),
        ]
        assert [(s["number"], s["description"], s["url"]) for s in seen["submissions"]] == [
            (1, None, None),
            (2, "The letter is attached", "https://pf.example/a"),
        ]
        assert seen["description"] == "The letter is attached"

    published = await service.drained()
    assert [event.type for _, event in published if event.subject == eid] == [
        "org.rexvet.evidence.submitted.v1",
        RETURNED,
        RESUBMITTED,
        REVIEWED,
    ]
    [(topic, returned_event)] = await service.events_of(RETURNED)
    assert topic == topics.EVIDENCE
    assert returned_event.partitionkey == "omnia:alice"
    assert valid_payload(returned_event) | {"returned_at": None} == {
        "institution": "omnia",
        "staff_id": "alice",
        "evidence_id": eid,
        "reviewer": "carol",
        "comment": "Add the host school's letter",
        "badge_id": "abroad-rookie",
        "requirement_id": "mobility",
        "submission": 1,
        "returned_at": None,
    }
    [(_, again_event)] = await service.events_of(RESUBMITTED)
    data = valid_payload(again_event)
    assert (data["evidence_id"], data["submission"], data["title"]) == (eid, 2, evidence["title"])
    assert "blob_sha256" not in data  # no file was attached
    [(_, reviewed_event)] = await service.events_of(REVIEWED)
    assert valid_payload(reviewed_event)["decision"] == "approved"
    assert reviewed_event.data["submission"] == 2


async def test_a_return_without_a_comment_is_422_naming_the_comment(service: Service) -> None:
    evidence = await service.submit()
    for body in ({"decision": "returned"}, {"decision": "returned", "comment": ""}):
        problem = assert_problem(await review(service, evidence["id"], body), 422)
        assert "body.comment" in [error["location"] for error in problem["errors"]]
    problem = assert_problem(await review(service, evidence["id"], {"decision": "returned"}), 422, "needs a `comment`")
    assert problem["errors"] == [{"location": "body.comment", "message": problem["detail"]}]
    assert (await read(service, evidence["id"]))["status"] == "submitted"
    assert await service.events_of(RETURNED) == []


async def test_returned_evidence_is_not_reviewed_again_until_resubmitted(service: Service) -> None:
    evidence = await service.submit()
    await review(service, evidence["id"], RETURN)
    approve = await review(service, evidence["id"], {"decision": "approved"}, coach="dave")
    assert_problem(approve, 409, "once its owner resubmits it")
    assert (await read(service, evidence["id"]))["status"] == "returned"
    assert await service.events_of(REVIEWED) == []


async def test_resubmitting_what_was_not_returned_is_409(service: Service) -> None:
    waiting = await service.submit()
    assert_problem(await resubmit(service, waiting["id"]), 409, "already waiting for review")
    approved = await service.submit()
    await review(service, approved["id"], {"decision": "approved"})
    assert_problem(await resubmit(service, approved["id"]), 409, "final; submit new evidence")
    rejected = await service.submit()
    await review(service, rejected["id"], {"decision": "rejected", "comment": "not mobility"})
    assert_problem(await resubmit(service, rejected["id"]), 409, "final")
    assert await service.events_of(RESUBMITTED) == []


async def test_only_the_owner_resubmits(service: Service) -> None:
    evidence = await service.submit()
    await review(service, evidence["id"], RETURN)
    path = f"/v1/evidence/{evidence['id']}/resubmit"
    other_staff = await resubmit(service, evidence["id"], sub="bob")
    other_tenant = await service.client.post(path, headers=service.auth("alice", tenant="tartu-vec"))
    as_coach = await service.client.post(path, headers=service.auth("carol", "coach"))
    coach_writing = await service.client.post(
        path, headers=service.auth("carol", "coach", scopes=["evidence:read", "evidence:write"])
    )
    no_scope = await service.client.post(path, headers=service.auth("alice", scopes=["evidence:read"]))
    assert_problem(other_staff, 404, "no such evidence")
    assert_problem(other_tenant, 404, "no such evidence")
    assert_problem(as_coach, 403, "evidence:write")
    assert_problem(coach_writing, 403, "roles")
    assert_problem(no_scope, 403, "evidence:write")
    assert_problem(await resubmit(service, "no-such-id"), 404, "no such evidence")
    assert (await read(service, evidence["id"]))["status"] == "returned"
    assert await service.events_of(RESUBMITTED) == []


async def test_a_staff_member_who_is_also_a_coach_may_not_resubmit_anothers_evidence(service: Service) -> None:
    # Carol sees Bob's evidence because she is a coach, and may write evidence because she is staff: resubmitting
    # Bob's is still Bob's alone.
    evidence = await service.submit("bob")
    await review(service, evidence["id"], RETURN)
    token = mint_access_token(
        service.ring.ensure(allow_create=False),
        issuer=ISSUER,
        audience=AUDIENCE,
        sub="carol",
        tenant="omnia",
        roles=("staff", "coach"),
        scopes=("evidence:read", "evidence:write", "evidence:review"),
        ttl_seconds=600,
    )
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/resubmit", headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(response, 403, "only the staff member who submitted the evidence may resubmit it")
    assert (await read(service, evidence["id"], "bob"))["status"] == "returned"


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"title": ""}, "body.title"),
        ({"url": "not a url"}, "body.url"),
        ({"status": "approved"}, "body.status"),
    ],
)
async def test_a_bad_resubmission_is_422_and_changes_nothing(
    service: Service, body: dict[str, Any], location: str
) -> None:
    evidence = await service.submit()
    await review(service, evidence["id"], RETURN)
    problem = assert_problem(await resubmit(service, evidence["id"], body), 422)
    assert location in [error["location"] for error in problem["errors"]]
    assert (await read(service, evidence["id"]))["status"] == "returned"


async def test_the_file_may_be_replaced_while_returned_and_the_reviews_say_which_file_they_saw(
    service: Service,
) -> None:
    evidence = await service.submit()
    eid = evidence["id"]
    put = {**service.auth("alice"), "Content-Type": "application/pdf"}
    first = await service.client.put(f"/v1/evidence/{eid}/file", content=b"%PDF-1 first", headers=put)
    assert first.status_code == 200, first.text
    await review(service, eid, RETURN)
    second = await service.client.put(f"/v1/evidence/{eid}/file", content=b"%PDF-1 second", headers=put)
    assert second.status_code == 200, second.text
    await resubmit(service, eid)
    await review(service, eid, {"decision": "approved"}, coach="dave")
    third = await service.client.put(f"/v1/evidence/{eid}/file", content=b"%PDF-1 third", headers=put)
    assert_problem(third, 409, "reviewed")

    seen = await read(service, eid, "carol", "coach")
    assert [r["file_sha256"] for r in seen["reviews"]] == [
        hashlib.sha256(b"%PDF-1 first").hexdigest(),
        hashlib.sha256(b"%PDF-1 second").hexdigest(),
    ]
    [(_, event)] = await service.events_of(RESUBMITTED)
    assert event.data["blob_sha256"] == hashlib.sha256(b"%PDF-1 second").hexdigest()


async def test_the_openapi_document_types_the_new_decision_and_route(service: Service) -> None:
    document = (await service.client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert schemas["ReviewIn"]["properties"]["decision"]["enum"] == ["approved", "returned", "rejected"]
    operation = document["paths"]["/v1/evidence/{evidence_id}/resubmit"]["post"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/EvidencePublic"}
    assert {"403", "404", "409", "422"} <= set(operation["responses"])
    properties = schemas["EvidencePublic"]["properties"]
    assert {"reviews", "submissions"} <= set(properties)
    assert properties["status"]["enum"] == ["submitted", "returned", "approved", "rejected"]
    assert schemas["ReviewPublic"]["properties"]["decision"]["enum"] == ["approved", "returned", "rejected"]
    for path, operations in document["paths"].items():
        for method, described in operations.items():
            if path.startswith("/v1/evidence"):
                content = described["responses"][next(s for s in described["responses"] if s.startswith("2"))]
                assert content.get("content", {}).get("application/json", {}).get("schema"), (method, path)
