"""The evidence form read as it arrives: text fields first, then the file as a stream, whatever the chunking."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from rexvet_portal.api.upload_form import (
    MAX_FIELD_BYTES,
    FileTooLarge,
    UnreadableForm,
    read_upload_form,
)

pytestmark = pytest.mark.unit

FILE = bytes(range(256)) * 400  # 100 kB with every byte value, boundary-like sequences included by chance


def encoded(fields: dict[str, str]) -> tuple[str, bytes]:
    files = {"file": ("report.pdf", FILE, "application/pdf")}
    request = httpx.Request("POST", "http://portal.test/", data=fields, files=files)
    return request.headers["content-type"], request.read()


async def chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize("size", [1, 7, 1000, 1 << 20])
async def test_fields_then_the_file_byte_for_byte_whatever_the_chunks(size: int) -> None:
    content_type, body = encoded({"csrf_token": "t0k", "title": "Työvarjostus", "description": ""})
    form = await read_upload_form(content_type, chunks(body, size), max_file_bytes=len(FILE))
    assert form.fields == {"csrf_token": "t0k", "title": "Työvarjostus", "description": ""}
    assert form.file is not None and form.file.filename == "report.pdf"
    assert form.file.content_type == "application/pdf"
    assert b"".join([chunk async for chunk in form.file.chunks]) == FILE


async def test_an_empty_file_input_is_no_file() -> None:
    # What a browser sends for a file input left empty: the part, with an empty filename and no bytes.
    body = (
        b'--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\r\n--B--\r\n"
    )
    form = await read_upload_form("multipart/form-data; boundary=B", chunks(body, 64), max_file_bytes=100)
    assert form.fields == {"title": "x"} and form.file is None


async def test_a_body_past_the_limit_stops_while_streaming() -> None:
    content_type, body = encoded({"title": "x"})
    form = await read_upload_form(content_type, chunks(body, 4096), max_file_bytes=1024)
    assert form.file is not None
    with pytest.raises(FileTooLarge):
        async for _ in form.file.chunks:
            pass


async def test_a_cut_upload_is_unreadable() -> None:
    content_type, body = encoded({"title": "x"})
    form = await read_upload_form(content_type, chunks(body[: len(body) // 2], 4096), max_file_bytes=len(FILE))
    assert form.file is not None
    with pytest.raises(UnreadableForm):
        async for _ in form.file.chunks:
            pass


async def test_an_overlong_field_is_refused() -> None:
    content_type, body = encoded({"description": "x" * (MAX_FIELD_BYTES + 1)})
    with pytest.raises(UnreadableForm, match="description"):
        await read_upload_form(content_type, chunks(body, 8192), max_file_bytes=len(FILE))


async def test_no_boundary_is_unreadable() -> None:
    with pytest.raises(UnreadableForm):
        await read_upload_form("multipart/form-data", chunks(b"", 1), max_file_bytes=10)
