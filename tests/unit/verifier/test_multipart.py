"""Multipart bodies are parsed from the bytes already read within the limit, and uploads never spill to disk."""

from __future__ import annotations

import httpx
import pytest
from starlette.datastructures import UploadFile
from starlette.requests import Request

from rexvet_verifier.api.requests import parse_multipart

pytestmark = pytest.mark.unit


async def test_a_large_upload_stays_in_memory() -> None:
    image = b"\x89PNG\r\n\x1a\n" + b"0" * (3 * 1024 * 1024)  # beyond Starlette's default 1 MB spool
    built = httpx.Request("POST", "http://verifier.test/verify", files={"image": ("badge.png", image, "image/png")})
    body = built.read()
    request = Request(
        {"type": "http", "method": "POST", "headers": [(b"content-type", built.headers["content-type"].encode())]}
    )
    form = await parse_multipart(request, body, limit=len(body))
    upload = form.get("image")
    assert isinstance(upload, UploadFile)
    assert upload.file._rolled is False  # type: ignore[attr-defined]  # SpooledTemporaryFile: still in memory
    assert await upload.read() == image
    await form.close()
