"""Evidence files: upload (`PUT /v1/evidence/{id}/file`), a time-limited link (`GET .../file-url`), and the route
that serves the local blob store's signed links (`GET /v1/blobs/{key}`; S3 serves its presigned links itself).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from rexvet_common.adapters.local_blob_store import verify_download_signature
from rexvet_common.errors import BlobTooLargeError, InvalidBlobKeyError
from rexvet_common.problems import BadRequest, Conflict, Forbidden, NotFound, Problem
from rexvet_evidence.api_deps import Context, EvidencePublic, Reader, Submitter, public, visible_or_404
from rexvet_evidence.domain.review import ReviewRefused
from rexvet_evidence.files import EmptyFile, NoFile
from rexvet_evidence.records import EvidenceGone

router = APIRouter(prefix="/v1", tags=["evidence files"])

DEFAULT_CONTENT_TYPE = "application/octet-stream"
CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")


class TooLarge(Problem):
    status, title, slug = 413, "Content Too Large", "too-large"


class FileUrl(BaseModel):
    url: str
    expires_at: datetime


# The body is read as a stream, not parsed: OpenAPI learns its shape from here.
RAW_FILE_BODY = {
    "requestBody": {"required": True, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
}


@router.put(
    "/evidence/{evidence_id}/file",
    response_model=EvidencePublic,
    openapi_extra=RAW_FILE_BODY,
    responses={413: {"description": "Larger than REXVET_EVIDENCE_MAX_UPLOAD_BYTES; nothing was kept"}},
)
async def upload_file(evidence_id: str, request: Request, principal: Submitter, context: Context) -> EvidencePublic:
    """The request body is the file, streamed to the blob store; `Content-Type` is kept and served back."""
    evidence = visible_or_404(principal, await context.records.get(evidence_id))
    if evidence["staff_id"] != principal.sub:
        raise Forbidden("only the staff member who submitted the evidence may attach its file")
    limit = context.files.max_size
    declared = _declared_length(request)
    if declared is not None and declared > limit:
        raise TooLarge(f"the file has {declared} bytes; the limit is {limit}", max_bytes=limit)
    try:
        updated = await context.files.attach(
            evidence, request.stream(), content_type=_content_type(request.headers.get("content-type"))
        )
    except BlobTooLargeError as exc:
        raise TooLarge(f"the file exceeds the limit of {limit} bytes; nothing was kept", max_bytes=limit) from exc
    except EmptyFile as exc:
        raise BadRequest(str(exc)) from exc
    except ReviewRefused as exc:
        raise Conflict(str(exc)) from exc
    except EvidenceGone as exc:
        raise NotFound("no such evidence in your institution") from exc
    return public(updated)


@router.get("/evidence/{evidence_id}/file-url", response_model=FileUrl)
async def file_url(evidence_id: str, principal: Reader, context: Context) -> FileUrl:
    """A link to download the file that needs no token and expires; for the owner and the institution's coaches."""
    evidence = visible_or_404(principal, await context.records.get(evidence_id))
    try:
        url, expires_at = await context.files.download_url(evidence)
    except NoFile as exc:
        raise NotFound("this evidence has no file; upload one with PUT .../file") from exc
    return FileUrl(url=url, expires_at=expires_at)


@router.get("/blobs/{key:path}", response_class=StreamingResponse, include_in_schema=True)
async def download_blob(
    key: str,
    context: Context,
    expires: Annotated[int, Query(description="Unix time the link expires at")],
    sig: Annotated[str, Query(max_length=128, description="The link's signature")],
) -> StreamingResponse:
    """Serves a signed link made by `GET /v1/evidence/{id}/file-url` (local blob store only); the link is the key."""
    secret = context.download_signing_secret
    if secret is None:
        raise NotFound("this deployment serves files from S3; use the link file-url returns")
    if not verify_download_signature(key, expires, sig, secret, datetime.now(UTC)):
        raise Forbidden("the download link is invalid or has expired; ask for a new one")
    try:
        info = await context.blobs.head(key)
    except InvalidBlobKeyError as exc:
        raise NotFound("no such file") from exc
    if info is None:
        raise NotFound("no such file (it may have been replaced); ask for a new link")
    headers = {
        "Content-Length": str(info.size),
        # Someone else's upload: never rendered inline in our origin, never sniffed into something executable.
        "Content-Disposition": "attachment",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "ETag": f'"{info.sha256}"',
    }
    return StreamingResponse(context.blobs.get(key), media_type=info.content_type, headers=headers)


def _declared_length(request: Request) -> int | None:
    raw = request.headers.get("content-length")
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadRequest("Content-Length must be a whole number of bytes")
    return int(raw)


def _content_type(raw: str | None) -> str:
    if raw is None:
        return DEFAULT_CONTENT_TYPE
    media_type = raw.split(";", 1)[0].strip().lower()
    if len(media_type) > 127 or not CONTENT_TYPE.match(media_type):
        raise BadRequest(f"Content-Type {raw!r} is not a media type such as application/pdf")
    return media_type
