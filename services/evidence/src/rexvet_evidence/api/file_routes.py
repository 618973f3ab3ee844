"""Evidence files: upload (`PUT /v1/evidence/{id}/file`), a time-limited link (`GET .../file-url`), and the route
that serves the local blob store's signed links (`GET /v1/blobs/{key}`; S3 serves its presigned links itself).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from rexvet_common.adapters.local_blob_store import verify_download_signature
from rexvet_common.errors import BlobTooLargeError, InvalidBlobKeyError
from rexvet_common.http.edge import BodyLimit
from rexvet_common.problems import (
    BadRequest,
    ContentTooLarge,
    Forbidden,
    NotFound,
    Problem,
    UnsupportedMediaType,
)
from rexvet_evidence.api.deps import (
    Context,
    EvidencePublic,
    Reader,
    Submitter,
    public,
    refusals_as_problems,
    visible_or_404,
)
from rexvet_evidence.api.multipart_upload import (
    ENVELOPE_ALLOWANCE,
    NotOneFilePart,
    UnreadableMultipart,
    single_file_part,
)
from rexvet_evidence.api.upload_stream import UploadIdle, idle_limited, peeked
from rexvet_evidence.application.files import EmptyFile, NoFile
from rexvet_evidence.domain.file_types import SNIFF_BYTES, RefusedFileType, allowed_list, file_type
from rexvet_evidence.domain.review import check_file_replaceable

router = APIRouter(prefix="/v1", tags=["evidence files"])

DEFAULT_CONTENT_TYPE = "application/octet-stream"  # nothing declared: the content alone tells the type
FILE_CSP = "sandbox; default-src 'none'"
CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")


class FileUrl(BaseModel):
    url: str
    expires_at: datetime


MULTIPART = "multipart/form-data"
ACCEPTED = ["*/* (the file itself as the body)", f"{MULTIPART} (exactly one file part)"]

# The body is read as a stream, not parsed: OpenAPI learns its shape from here.
RAW_FILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "description": "Exactly one part, a file (any field name); its bytes are stored, not the form",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "*/*": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.put(
    "/evidence/{evidence_id}/file",
    response_model=EvidencePublic,
    # Streamed to the blob store under REXVET_EVIDENCE_MAX_UPLOAD_BYTES, never buffered by the request edge.
    dependencies=[Depends(BodyLimit(streamed=True))],
    openapi_extra=RAW_FILE_BODY,
    responses={
        408: {"description": "No byte arrived for REXVET_EVIDENCE_UPLOAD_IDLE_SECONDS; nothing was kept"},
        413: {"description": "Larger than REXVET_EVIDENCE_MAX_UPLOAD_BYTES; nothing was kept"},
        415: {
            "description": "A multipart body that is not exactly one file part, or a file whose content is not of "
            "an accepted type (PDF, images, office documents, plain text) or not of its declared type; nothing "
            "was kept"
        },
    },
)
async def upload_file(evidence_id: str, request: Request, principal: Submitter, context: Context) -> EvidencePublic:
    """The file, streamed to the blob store: the body itself, or the one file part of a `multipart/form-data` body
    (`curl -F file=@report.pdf`). Its type is told by its content (PDF, PNG, JPEG, GIF, WebP, office documents,
    plain text): a declared type (the body's or the part's `Content-Type`) must agree, else 415."""
    evidence = visible_or_404(principal, await context.records.get(evidence_id))
    if evidence["staff_id"] != principal.sub:
        raise Forbidden("only the staff member who submitted the evidence may attach its file")
    limit = context.files.max_size
    raw_type = request.headers.get("content-type")
    multipart = raw_type is not None and _media_type(raw_type) == MULTIPART
    if raw_type is not None and not multipart and _media_type(raw_type).startswith("multipart/"):
        raise UnsupportedMediaType(
            f"{_media_type(raw_type)} is not read: send the file as the body, or as the one part of {MULTIPART}",
            accepted=ACCEPTED,
        )
    envelope = ENVELOPE_ALLOWANCE if multipart else 0
    declared = _declared_length(request)
    if declared is not None and declared > limit + envelope:
        raise ContentTooLarge(f"the file has {declared} bytes; the limit is {limit}", max_bytes=limit)
    body = idle_limited(request.stream(), context.files.idle_seconds)
    with refusals_as_problems():  # a reviewed file is final (409); a record gone meanwhile, 404
        try:
            if multipart:
                assert raw_type is not None
                part = await single_file_part(raw_type, body, max_bytes=limit + envelope)
                stream, declared_type = part.chunks, _content_type(part.content_type)
            else:
                stream, declared_type = body, _content_type(raw_type)
            check_file_replaceable(evidence)  # a reviewed file cannot be replaced: 409 before its type is looked at
            # Typed by its first bytes before anything is stored: a refused file leaves no blob and no record change.
            start = await peeked(stream, SNIFF_BYTES)
            empty = start.whole and not start.prefix  # left to `attach`, which says the file is empty
            content_type = (
                declared_type if empty else file_type(start.prefix, declared_type, whole=start.whole).media_type
            )
            updated = await context.files.attach(evidence, start.chunks, content_type=content_type)
        except RefusedFileType as exc:
            raise UnsupportedMediaType(
                f"{exc}; nothing was kept", accepted=allowed_list(), code="file_type_refused"
            ) from exc
        except UploadIdle as exc:
            raise Problem(
                str(exc), status=408, title="Request Timeout", slug="upload-idle", idle_seconds=exc.seconds
            ) from exc
        except NotOneFilePart as exc:
            raise UnsupportedMediaType(f"{exc}; nothing was kept", accepted=ACCEPTED) from exc
        except UnreadableMultipart as exc:
            raise BadRequest(f"{exc}; nothing was kept", code="bad_multipart") from exc
        except BlobTooLargeError as exc:
            raise ContentTooLarge(
                f"the file exceeds the limit of {limit} bytes; nothing was kept", max_bytes=limit
            ) from exc
        except EmptyFile as exc:
            raise BadRequest(str(exc)) from exc
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
        # Someone else's upload: never rendered inline in our origin, never sniffed into something executable, and
        # if a browser renders it anyway, in a sandbox that may load and run nothing.
        "Content-Disposition": "attachment",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": FILE_CSP,
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


def _media_type(raw: str) -> str:
    return raw.split(";", 1)[0].strip().lower()


def _content_type(raw: str | None) -> str:
    if raw is None:
        return DEFAULT_CONTENT_TYPE
    media_type = _media_type(raw)
    if len(media_type) > 127 or not CONTENT_TYPE.match(media_type):
        raise BadRequest(f"Content-Type {raw!r} is not a media type such as application/pdf")
    return media_type
