"""Reading what a request presents, within the size limit, into the bytes the engine verifies."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from rexvet_common.http import runtime_from
from rexvet_common.problems import (
    BadRequest,
    ContentTooLarge,
    Problem,
    UnsupportedMediaType,
    malformed_json_problem,
)
from rexvet_credentials.errors import FetchError
from rexvet_verifier.application.verification import CredentialVerifier
from rexvet_verifier.bootstrap import VerifierContext
from rexvet_verifier.domain.presented_input import (
    UnreadableInput,
    accepted_media_types,
    presented_from_body,
    presented_from_text,
    presented_upload,
)

MULTIPART = "multipart/form-data"
TEXT_FIELDS = ("credential", "verifiableCredential")
FILE_FIELDS = ("image", "file")


async def verifier_context(request: Request) -> VerifierContext:
    # async: FastAPI runs a plain `def` dependency in its thread pool, two thread hand-offs for an attribute read
    context = runtime_from(request).context
    assert isinstance(context, VerifierContext)
    return context


Context = Annotated[VerifierContext, Depends(verifier_context)]


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def read_limited(request: Request, limit: int) -> bytes:
    """The whole body, refusing it as soon as it passes `limit` bytes (declared or actually sent)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ContentTooLarge(f"the body has {declared} bytes; at most {limit} are accepted", limit=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ContentTooLarge(f"the body is larger than {limit} bytes, the most accepted", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def problem_for(error: UnreadableInput) -> Problem:
    if error.malformed is not None:
        return malformed_json_problem(error.malformed)
    if error.unsupported_media_type:
        return UnsupportedMediaType(error.message, code=error.code, accepted=accepted_media_types())
    return BadRequest(error.message, slug="unreadable-credential", title="Unreadable credential", code=error.code)


async def presented_bytes(request: Request, limit: int, verifier: CredentialVerifier) -> bytes:
    """The credential a request presents; `UnreadableInput` when there is none to verify. An image, or JSON that is
    large or busy, is read in the work pool: a PNG of many chunks or 6,000 objects to decode and re-encode is CPU
    that must not hold the event loop."""
    body = await read_limited(request, limit)
    kind = media_type(request)
    if kind != MULTIPART:
        if body.strip() and verifier.is_heavy(body):
            return await verifier.pool.run(presented_from_body, kind, body)
        return presented_from_body(kind, body)
    form = await parse_multipart(request, body, limit)
    try:
        return await presented_from_form(form, verifier)
    finally:
        await form.close()


async def unknown_upload(data: bytes, verifier: CredentialVerifier) -> bytes:
    """`presented_upload`, in the work pool when the data is an image or heavy JSON."""
    return await verifier.pool.run(presented_upload, data) if verifier.is_heavy(data) else presented_upload(data)


async def parse_multipart(request: Request, body: bytes, limit: int) -> FormData:
    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, replay(), max_files=2, max_fields=4, max_part_size=limit)
    # An upload stays in memory (it is within `limit` anyway): nothing a visitor submits is written to disk.
    parser.spool_max_size = limit + 1
    try:
        return await parser.parse()
    except MultiPartException as exc:
        raise UnreadableInput(f"the multipart body cannot be read: {exc.message}", code="bad_multipart") from exc


async def presented_from_form(form: FormData, verifier: CredentialVerifier) -> bytes:
    """An uploaded file (`image` or `file`) when one was chosen, else the pasted text (`credential`)."""
    for name in FILE_FIELDS:
        upload = form.get(name)
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            data = await upload.read()
            if data.strip():
                return await unknown_upload(data, verifier)
    for name in TEXT_FIELDS:
        text = form.get(name)
        if isinstance(text, str) and text.strip():
            return presented_from_text(text.encode("utf-8"))
    raise UnreadableInput("paste a credential into `credential` or upload a badge image as `image`", code="empty_form")


MAX_URL_CHARS = 2048


class BadGateway(Problem):
    status, title, slug = 502, "Bad Gateway", "credential-unreachable"


async def presented_from_url(context: VerifierContext, url: str) -> bytes:
    """The credential published at `url`, fetched through the guarded fetcher; a problem when there is none."""
    if len(url) > MAX_URL_CHARS or not url.startswith(("https://", "http://")):
        raise BadRequest(
            f"`url` must be an https (or, in development, http) URL of at most {MAX_URL_CHARS} characters",
            code="bad_url",
        )
    try:
        content = await context.verifier.fetch_presented(url)
    except FetchError as exc:
        if exc.code.startswith("fetch_refused") or exc.code == "fetch_invalid_url":
            raise BadRequest(f"this verifier does not fetch {url}: {exc.message}", code=exc.code) from exc
        raise BadGateway(f"the credential could not be fetched: {exc.message}", code=exc.code) from exc
    try:
        return await unknown_upload(content, context.verifier)
    except UnreadableInput as exc:
        raise BadRequest(
            f"{url} does not hold a credential: {exc.message}", slug="unreadable-credential", code=exc.code
        ) from exc
