"""Evidence files: streamed in under a size limit (nothing kept when refused), served through signed, expiring links."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from rexvet_common.adapters.local_blob_store import download_signature

from .harness import Service, assert_problem

pytestmark = pytest.mark.unit

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 3  # 777 bytes, under the test limit of 1024
SECOND = b"%PDF-1.4\nsecond version"


def stored_files(service: Service) -> list[Path]:
    """Every file under the blob store's directory (data, metadata and any temporary leftovers)."""
    root = service.settings.blobs_dir
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


async def upload(service: Service, evidence_id: str, content: bytes, sub: str = "alice", **headers: str):  # type: ignore[no-untyped-def]
    return await service.client.put(
        f"/v1/evidence/{evidence_id}/file",
        content=content,
        headers={**service.auth(sub), "Content-Type": "application/pdf", **headers},
    )


async def test_an_upload_is_recorded_with_its_hash_and_downloads_through_the_link(service: Service) -> None:
    evidence = await service.submit()
    response = await upload(service, evidence["id"], PDF)
    assert response.status_code == 200, response.text
    file = response.json()["file"]
    assert file["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert file["size"] == len(PDF)
    assert file["content_type"] == "application/pdf"
    assert "key" not in file

    for reader in (service.auth("alice"), service.auth("carol", "coach")):
        link = await service.client.get(f"/v1/evidence/{evidence['id']}/file-url", headers=reader)
        assert link.status_code == 200, link.text
        download = await service.client.get(link.json()["url"])  # the link is the credential: no token
        assert download.status_code == 200, download.text
        assert download.content == PDF
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["content-disposition"] == "attachment"
        assert download.headers["x-content-type-options"] == "nosniff"


async def test_the_evidence_read_carries_its_files_link_when_asked(service: Service) -> None:
    evidence = await service.submit()
    path = f"/v1/evidence/{evidence['id']}"
    coach = service.auth("carol", "coach")
    without_file = await service.client.get(path, params={"include": "file_link"}, headers=coach)
    assert without_file.status_code == 200 and "file_link" not in without_file.json()
    assert (await upload(service, evidence["id"], PDF)).status_code == 200
    plain = (await service.client.get(path, headers=coach)).json()
    assert "file_link" not in plain  # the read as before unless asked
    read = (await service.client.get(path, params={"include": "file_link"}, headers=coach)).json()
    assert {k: v for k, v in read.items() if k != "file_link"} == plain
    download = await service.client.get(read["file_link"]["url"])
    assert download.status_code == 200 and download.content == PDF
    assert (await service.client.get(path, params={"include": "other"}, headers=coach)).status_code == 422
    foreign = service.auth("zed", "coach", tenant="tartu-vec")
    assert (await service.client.get(path, params={"include": "file_link"}, headers=foreign)).status_code == 404
    other_staff = service.auth("bob")
    assert (await service.client.get(path, params={"include": "file_link"}, headers=other_staff)).status_code == 404


async def test_a_streamed_upload_without_a_length_is_hashed_the_same(service: Service) -> None:
    evidence = await service.submit()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(PDF), 100):
            yield PDF[start : start + 100]

    response = await service.client.put(
        f"/v1/evidence/{evidence['id']}/file", content=chunks(), headers=service.auth("alice")
    )
    assert response.status_code == 200, response.text
    assert response.json()["file"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert response.json()["file"]["content_type"] == "application/pdf"  # undeclared: typed by its content


async def test_a_file_over_the_limit_is_413_and_nothing_is_kept(service: Service) -> None:
    evidence = await service.submit()
    declared = await upload(service, evidence["id"], b"x" * 1025)

    async def endless_without_length() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"y" * 100

    streamed = await service.client.put(
        f"/v1/evidence/{evidence['id']}/file", content=endless_without_length(), headers=service.auth("alice")
    )
    for response in (declared, streamed):
        problem = assert_problem(response, 413, "1024")
        assert problem["max_bytes"] == 1024
    assert stored_files(service) == []
    read = await service.client.get(f"/v1/evidence/{evidence['id']}", headers=service.auth("alice"))
    assert read.json()["file"] is None


async def test_an_empty_file_is_400_and_nothing_is_kept(service: Service) -> None:
    evidence = await service.submit()
    assert_problem(await upload(service, evidence["id"], b""), 400, "empty")
    assert stored_files(service) == []


async def test_a_replacement_deletes_the_old_file_and_its_link(service: Service) -> None:
    evidence = await service.submit()
    await upload(service, evidence["id"], PDF)
    old_link = await service.client.get(f"/v1/evidence/{evidence['id']}/file-url", headers=service.auth("alice"))
    replaced = await upload(service, evidence["id"], SECOND)
    assert replaced.json()["file"]["sha256"] == hashlib.sha256(SECOND).hexdigest()
    assert_problem(await service.client.get(old_link.json()["url"]), 404, "no such file")
    data_files = [
        path for path in stored_files(service) if "data" in path.relative_to(service.settings.blobs_dir).parts
    ]
    assert [path.read_bytes() for path in data_files] == [SECOND]


async def test_no_replacement_after_review(service: Service) -> None:
    evidence = await service.submit()
    await upload(service, evidence["id"], PDF)
    before = stored_files(service)
    await service.client.post(
        f"/v1/evidence/{evidence['id']}/review",
        json={"decision": "approved", "comment": "ok"},
        headers=service.auth("carol", "coach"),
    )
    response = await upload(service, evidence["id"], SECOND)
    assert_problem(response, 409, "reviewed")
    assert stored_files(service) == before
    read = await service.client.get(f"/v1/evidence/{evidence['id']}", headers=service.auth("alice"))
    assert read.json()["file"]["sha256"] == hashlib.sha256(PDF).hexdigest()


async def test_only_the_owner_uploads(service: Service) -> None:
    evidence = await service.submit("alice")
    by_colleague = await upload(service, evidence["id"], PDF, sub="bob")
    coach = service.auth("carol", "coach", scopes=["evidence:read", "evidence:write"])
    by_coach = await service.client.put(f"/v1/evidence/{evidence['id']}/file", content=PDF, headers=coach)
    by_stranger = await service.client.put(
        f"/v1/evidence/{evidence['id']}/file", content=PDF, headers=service.auth("alice", tenant="tartu-vec")
    )
    assert_problem(by_colleague, 404, "no such evidence")
    assert_problem(by_coach, 403, "roles")
    assert_problem(by_stranger, 404, "no such evidence")
    assert stored_files(service) == []


async def test_a_bad_content_type_is_400(service: Service) -> None:
    evidence = await service.submit()
    response = await upload(service, evidence["id"], PDF, **{"Content-Type": "not a type"})
    assert_problem(response, 400, "Content-Type")
    assert stored_files(service) == []


async def test_links_are_only_for_those_who_may_read_and_only_for_files(service: Service) -> None:
    evidence = await service.submit("alice")
    path = f"/v1/evidence/{evidence['id']}/file-url"
    assert_problem(await service.client.get(path, headers=service.auth("alice")), 404, "no file")
    await upload(service, evidence["id"], PDF)
    assert_problem(await service.client.get(path, headers=service.auth("bob")), 404, "no such evidence")
    foreign_coach = service.auth("zed", "coach", tenant="tartu-vec")
    assert_problem(await service.client.get(path, headers=foreign_coach), 404, "no such evidence")


async def test_a_tampered_or_expired_link_is_403(service: Service) -> None:
    evidence = await service.submit()
    await upload(service, evidence["id"], PDF)
    link = (await service.client.get(f"/v1/evidence/{evidence['id']}/file-url", headers=service.auth("alice"))).json()
    parts = urlsplit(link["url"])
    query = parse_qs(parts.query)
    key = parts.path.removeprefix("/v1/blobs/")
    expires, sig = int(query["expires"][0]), query["sig"][0]

    tampered_sig = await service.client.get(parts.path, params={"expires": expires, "sig": "0" * 64})
    longer = await service.client.get(parts.path, params={"expires": expires + 3600, "sig": sig})
    secret = service.app.state.runtime.context.download_signing_secret
    past = 1_000_000_000
    expired = await service.client.get(
        parts.path, params={"expires": past, "sig": download_signature(key, past, secret)}
    )
    for response in (tampered_sig, longer, expired):
        assert_problem(response, 403, "invalid or has expired")
    assert (await service.client.get(parts.path, params={"expires": expires, "sig": sig})).status_code == 200
