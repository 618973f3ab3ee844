"""`PUT /v1/evidence/{id}/file` as a form upload (`curl -F file=@x`): the file's own bytes are stored, never the
multipart envelope; anything but exactly one file part is a 415 and leaves no blob and no file on the record."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from .harness import Service, assert_problem
from .test_files_api import PDF, stored_files

pytestmark = pytest.mark.unit

BOUNDARY = "rexvet-test-boundary"
TEXT = ({"Content-Disposition": 'form-data; name="note"'}, b"hello")


def envelope(*parts: tuple[dict[str, str], bytes], epilogue: bytes = b"") -> bytes:
    """A multipart/form-data body, written out by hand so a test controls every byte."""
    body = b""
    for headers, content in parts:
        body += f"--{BOUNDARY}\r\n".encode()
        body += b"".join(f"{name}: {value}\r\n".encode() for name, value in headers.items()) + b"\r\n"
        body += content + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode() + epilogue


def file_part(content: bytes, name: str = "file", filename: str = "report.pdf", content_type: str = "application/pdf"):  # type: ignore[no-untyped-def]
    disposition = f'form-data; name="{name}"; filename="{filename}"'
    return {"Content-Disposition": disposition, "Content-Type": content_type}, content


async def put_multipart(service: Service, evidence_id: str, content: bytes | AsyncIterator[bytes]) -> httpx.Response:
    headers = {**service.auth("alice"), "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return await service.client.put(f"/v1/evidence/{evidence_id}/file", content=content, headers=headers)


async def stored_file(service: Service, evidence: dict[str, Any]) -> dict[str, Any] | None:
    read = await service.client.get(f"/v1/evidence/{evidence['id']}", headers=service.auth("alice"))
    file: dict[str, Any] | None = read.json()["file"]
    return file


async def download(service: Service, evidence: dict[str, Any]) -> httpx.Response:
    link = await service.client.get(f"/v1/evidence/{evidence['id']}/file-url", headers=service.auth("alice"))
    return await service.client.get(link.json()["url"])


async def test_a_form_upload_as_curl_sends_it_stores_the_files_bytes_and_its_type(service: Service) -> None:
    evidence = await service.submit()
    response = await service.client.put(
        f"/v1/evidence/{evidence['id']}/file",
        files={"file": ("report.pdf", PDF, "application/pdf")},  # what `curl -F file=@report.pdf` sends
        headers=service.auth("alice"),
    )
    assert response.status_code == 200, response.text
    file = response.json()["file"]
    assert (file["sha256"], file["size"], file["content_type"]) == (
        hashlib.sha256(PDF).hexdigest(),
        len(PDF),
        "application/pdf",
    )
    downloaded = await download(service, evidence)
    assert downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"


async def test_a_part_without_a_type_is_octet_stream_and_the_body_may_arrive_in_small_chunks(
    service: Service,
) -> None:
    evidence = await service.submit()
    body = envelope(({"Content-Disposition": 'form-data; name="upload"; filename="notes.bin"'}, PDF))

    async def trickle() -> AsyncIterator[bytes]:  # boundaries split across chunks, a few bytes at a time
        for start in range(0, len(body), 7):
            yield body[start : start + 7]

    response = await put_multipart(service, evidence["id"], trickle())
    assert response.status_code == 200, response.text
    assert response.json()["file"]["content_type"] == "application/pdf"  # no declared type: typed by its content
    assert (await download(service, evidence)).content == PDF


async def test_a_file_at_the_limit_fits_although_the_envelope_adds_bytes(service: Service) -> None:
    evidence = await service.submit()
    exactly = (b"%PDF-1.7\n" + bytes(range(256)) * 4)[:1024]  # 1024 bytes: the test limit
    response = await put_multipart(service, evidence["id"], envelope(file_part(exactly)))
    assert response.status_code == 200, response.text
    assert response.json()["file"]["size"] == 1024


@pytest.mark.parametrize(
    ("why", "body"),
    [
        ("two file parts", envelope(file_part(PDF), file_part(b"second", filename="b.pdf"))),
        ("a file then a text field", envelope(file_part(PDF), TEXT)),
        ("a text field only", envelope(TEXT)),
        ("a text field before the file", envelope(TEXT, file_part(PDF))),
    ],
)  # fmt: skip
async def test_anything_but_one_file_part_is_415_and_nothing_is_kept(service: Service, why: str, body: bytes) -> None:
    evidence = await service.submit()
    response = await put_multipart(service, evidence["id"], body)
    problem = assert_problem(response, 415)
    assert problem["code"] == "unsupported_media_type" and "nothing was kept" in problem["detail"], (why, problem)
    assert stored_files(service) == [], why
    assert await stored_file(service, evidence) is None, why


async def test_a_second_part_after_a_stored_file_leaves_the_first_file_in_place(service: Service) -> None:
    evidence = await service.submit()
    first = await put_multipart(service, evidence["id"], envelope(file_part(PDF)))
    assert first.status_code == 200, first.text
    before = stored_files(service)
    response = await put_multipart(service, evidence["id"], envelope(file_part(b"new"), file_part(b"more")))
    assert_problem(response, 415)
    assert stored_files(service) == before
    assert (await download(service, evidence)).content == PDF


async def test_other_multipart_types_are_415(service: Service) -> None:
    evidence = await service.submit()
    response = await service.client.put(
        f"/v1/evidence/{evidence['id']}/file",
        content=envelope(file_part(PDF)),
        headers={**service.auth("alice"), "Content-Type": f"multipart/mixed; boundary={BOUNDARY}"},
    )
    assert_problem(response, 415)
    assert stored_files(service) == []


@pytest.mark.parametrize(
    ("why", "content_type", "body"),
    [
        ("no boundary", "multipart/form-data", envelope(file_part(PDF))),
        ("cut before the closing boundary", None, envelope(file_part(PDF))[:-40]),
        ("cut inside the part's headers", None, f"--{BOUNDARY}\r\nContent-Disposition: form".encode()),
    ],
)
async def test_a_broken_multipart_body_is_400_and_nothing_is_kept(
    service: Service, why: str, content_type: str | None, body: bytes
) -> None:
    evidence = await service.submit()
    headers = {**service.auth("alice"), "Content-Type": content_type or f"multipart/form-data; boundary={BOUNDARY}"}
    response = await service.client.put(f"/v1/evidence/{evidence['id']}/file", content=body, headers=headers)
    assert_problem(response, 400)
    assert stored_files(service) == [], why
    assert await stored_file(service, evidence) is None, why


async def test_a_file_part_over_the_limit_is_413_and_nothing_is_kept(service: Service) -> None:
    evidence = await service.submit()

    async def endless_part() -> AsyncIterator[bytes]:  # no Content-Length: the limit is enforced while streaming
        yield envelope(file_part(b"%PDF-1.7\n"))[: -len(f"\r\n--{BOUNDARY}--\r\n")]
        for _ in range(64):
            yield b"x" * 512

    response = await put_multipart(service, evidence["id"], endless_part())
    assert_problem(response, 413)
    assert stored_files(service) == []
    assert await stored_file(service, evidence) is None
