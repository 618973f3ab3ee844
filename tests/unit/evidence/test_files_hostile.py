"""Hostile evidence files (issue 15): files are typed by their content, not by what the uploader declared; served so
that no browser runs them; an upload that goes quiet is cut. Whatever is refused leaves no blob and no record change.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .harness import Service, assert_problem, evidence_service
from .test_files_api import PDF, stored_files, upload

pytestmark = pytest.mark.unit

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>fetch('/v1/evidence')</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SCRIPT = b"fetch('/v1/evidence').then(r => r.text())"
TEXT = "Mentored two new teachers in March; notes attached.\nÜbersicht: gut.\n".encode()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


async def assert_nothing_kept(service: Service, evidence_id: str) -> None:
    assert stored_files(service) == []
    current = await service.client.get(f"/v1/evidence/{evidence_id}", headers=service.auth("alice"))
    assert current.json().get("file") is None, current.text


@pytest.mark.parametrize(
    ("content", "declared", "stored_as"),
    [
        (PDF, "application/pdf", "application/pdf"),
        (PNG, "image/png", "image/png"),
        (PNG, "application/octet-stream", "image/png"),  # nothing declared: the content tells
        (TEXT, "text/plain; charset=utf-8", "text/plain"),
        (TEXT, "application/octet-stream", "text/plain"),
        (b"name,role\nalice,teacher\n", "text/csv", "text/csv"),
    ],
)
async def test_accepted_types_are_stored_as_what_they_are(
    service: Service, content: bytes, declared: str, stored_as: str
) -> None:
    evidence = await service.submit()
    response = await upload(service, evidence["id"], content, **{"Content-Type": declared})
    assert response.status_code == 200, response.text
    assert response.json()["file"]["content_type"] == stored_as


async def test_an_office_document_is_accepted(tmp_path: Path) -> None:
    async with evidence_service(tmp_path) as service:  # the default limit: a docx is more than 1 KiB
        evidence = await service.submit()
        response = await upload(service, evidence["id"], docx(), **{"Content-Type": DOCX_TYPE})
        assert response.status_code == 200, response.text
        assert response.json()["file"]["content_type"] == DOCX_TYPE


@pytest.mark.parametrize(
    ("content", "declared", "says"),
    [
        (HTML, "text/html", "text/html files are not accepted"),
        (SVG, "image/svg+xml", "image/svg+xml files are not accepted"),
        (SCRIPT, "application/javascript", "application/javascript files are not accepted"),
        (HTML, "text/plain", "declared as text/plain but its content is text/html"),
        (HTML, "application/octet-stream", "text/html, which is not accepted"),
        (PDF, "image/png", "declared as image/png but its content is application/pdf"),
        (PNG, "application/pdf", "declared as application/pdf but its content is image/png"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "application/pdf", "portable-executable"),
        (bytes(range(256)), "text/plain", "declared as text/plain but its content is of no type we recognise"),
    ],
)
async def test_other_or_mislabelled_content_is_415_and_nothing_is_kept(
    service: Service, content: bytes, declared: str, says: str
) -> None:
    evidence = await service.submit()
    body = assert_problem(await upload(service, evidence["id"], content, **{"Content-Type": declared}), 415)
    assert says in body["detail"] and "nothing was kept" in body["detail"], body["detail"]
    assert body["code"] == "file_type_refused" and "application/pdf" in body["accepted"]
    await assert_nothing_kept(service, evidence["id"])


async def test_a_refused_replacement_keeps_the_file_there_was(service: Service) -> None:
    evidence = await service.submit()
    first = await upload(service, evidence["id"], PDF)
    assert_problem(await upload(service, evidence["id"], HTML, **{"Content-Type": "text/plain"}), 415)
    current = await service.client.get(f"/v1/evidence/{evidence['id']}", headers=service.auth("alice"))
    assert current.json()["file"] == first.json()["file"]


async def test_a_download_can_run_nothing(service: Service) -> None:
    evidence = await service.submit()
    await upload(service, evidence["id"], TEXT, **{"Content-Type": "text/plain"})
    link = await service.client.get(f"/v1/evidence/{evidence['id']}/file-url", headers=service.auth("alice"))
    download = await service.client.get(link.json()["url"])
    assert download.status_code == 200 and download.content == TEXT
    assert download.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"] == "attachment"


async def test_an_idle_upload_is_cut_and_leaves_nothing_behind(tmp_path: Path) -> None:
    async with evidence_service(tmp_path, upload_idle_seconds=0.2) as service:
        evidence = await service.submit()
        first = await upload(service, evidence["id"], PDF)
        never = asyncio.Event()

        async def stalls() -> AsyncIterator[bytes]:  # a first chunk, then silence, as a slow client sends
            yield b"%PDF-1.7\n" + b"x" * 100
            await never.wait()
            yield b"never sent"

        response = await service.client.put(
            f"/v1/evidence/{evidence['id']}/file",
            content=stalls(),
            headers={**service.auth("alice"), "Content-Type": "application/pdf"},
        )
        body = assert_problem(response, 408)
        assert body["idle_seconds"] == 0.2 and "nothing was kept" in body["detail"]
        current = await service.client.get(f"/v1/evidence/{evidence['id']}", headers=service.auth("alice"))
        assert current.json()["file"] == first.json()["file"]  # the record is unchanged
        data = [path for path in stored_files(service) if "data" in path.relative_to(service.settings.blobs_dir).parts]
        assert len(data) == 1 and data[0].read_bytes() == PDF  # only the first upload's blob, nothing partial


async def test_an_idle_multipart_upload_is_cut_too(tmp_path: Path) -> None:
    async with evidence_service(tmp_path, upload_idle_seconds=0.2) as service:
        evidence = await service.submit()
        never = asyncio.Event()

        async def stalls() -> AsyncIterator[bytes]:
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\n'
            await never.wait()
            yield b"\r\n--b--\r\n"

        response = await service.client.put(
            f"/v1/evidence/{evidence['id']}/file",
            content=stalls(),
            headers={**service.auth("alice"), "Content-Type": "multipart/form-data; boundary=b"},
        )
        assert_problem(response, 408)
        await assert_nothing_kept(service, evidence["id"])
