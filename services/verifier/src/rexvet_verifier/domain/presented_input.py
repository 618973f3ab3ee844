"""What a caller may present for verification, by media type, turned into the bytes the engine verifies.

Accepted: a credential as JSON (the object itself, or `{"verifiableCredential": ...}` as the VC-API sends it, an
object or a VC-JWT string or an `EnvelopedVerifiableCredential`), a compact JWS (VC-JWT) as text, or a baked PNG or
SVG. Input that cannot be read as any of these raises `UnreadableInput`: it is not a credential that failed, it is
not a credential at all, and the caller gets a problem, not a report. Framework-free: the HTTP layer calls it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from rexvet_common.json_text import MalformedJson, decode_json
from rexvet_credentials.baking import BakingError, CredentialFormat, extract_image, image_kind
from rexvet_credentials.jwt.verify import looks_like_jwt

JSON_TYPES = frozenset({"application/json", "application/ld+json", "application/vc+ld+json", "application/vc"})
JWT_TYPES = frozenset({"application/jwt", "application/vc+jwt", "text/plain"})
IMAGE_TYPES = {"image/png": "png", "image/svg+xml": "svg"}
ENVELOPED_PREFIXES = ("data:application/vc+jwt,", "data:application/jwt,")


class UnreadableInput(Exception):
    """`code` is stable snake_case; the message tells the caller what to send instead."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        unsupported_media_type: bool = False,
        malformed: MalformedJson | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.unsupported_media_type = unsupported_media_type
        self.malformed = malformed  # where JSON text went wrong: answered like every service's malformed JSON

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in the work pool's processes too: rebuilt from its fields, not from `args` alone.
        return (_rebuild, (self.message, self.code, self.unsupported_media_type, self.malformed))


def _rebuild(message: str, code: str, unsupported: bool, malformed: MalformedJson | None) -> UnreadableInput:
    return UnreadableInput(message, code=code, unsupported_media_type=unsupported, malformed=malformed)


def accepted_media_types() -> list[str]:
    return sorted({*JSON_TYPES, *JWT_TYPES, *IMAGE_TYPES, "multipart/form-data"})


def presented_from_body(media_type: str, body: bytes) -> bytes:
    """The credential bytes in a request body of `media_type` (without parameters, lower case)."""
    if not body.strip():
        raise UnreadableInput("the request body is empty: send a credential", code="empty_body")
    if media_type in JSON_TYPES:
        return presented_from_json(parse_json(body))
    if media_type in JWT_TYPES:
        return presented_from_text(body)
    if media_type in IMAGE_TYPES:
        return presented_image(body, IMAGE_TYPES[media_type])
    raise UnreadableInput(
        f"media type {media_type or '(none)'!r} is not accepted; send one of: {', '.join(accepted_media_types())}",
        code="unsupported_media_type",
        unsupported_media_type=True,
    )


def parse_json(body: bytes) -> Any:
    try:
        return decode_json(body)
    except MalformedJson as exc:
        raise UnreadableInput(exc.message, code="not_json", malformed=exc) from exc


def presented_from_json(value: Any) -> bytes:
    """A credential object, or an envelope {"verifiableCredential": object | VC-JWT | enveloped credential}."""
    if not isinstance(value, dict):
        raise UnreadableInput("a credential is a JSON object", code="not_an_object")
    if "verifiableCredential" in value:
        inner = value["verifiableCredential"]
        if isinstance(inner, str):
            return presented_from_text(inner.encode("utf-8"))
        if not isinstance(inner, dict):
            raise UnreadableInput(
                "verifiableCredential must be a credential object or a VC-JWT string", code="not_an_object"
            )
        if _is_enveloped(inner):
            return _from_envelope(str(inner.get("id", "")))
        value = inner
    # Data Integrity proofs are over the canonical RDF, not the bytes: re-serialising the object keeps them valid.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def presented_from_text(body: bytes) -> bytes:
    """Text: a compact JWS, or JSON pasted as text."""
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise UnreadableInput("the body is not UTF-8 text", code="not_utf8") from exc
    if text.startswith("{"):
        return presented_from_json(parse_json(text.encode("utf-8")))
    if looks_like_jwt(text):
        return text.encode("ascii", errors="replace")
    raise UnreadableInput(
        "the text is neither a credential in JSON nor a compact JWS (a VC-JWT: three base64url parts joined by '.')",
        code="not_a_credential",
    )


def presented_image(body: bytes, expected: str | None = None) -> bytes:
    """A baked PNG or SVG (of the `expected` kind when given), checked to carry a credential: the Open Badges 3.0
    credential baked in it (read once, here), or the image itself when it carries an OB 2.0 assertion."""
    try:
        kind = image_kind(body)
        if expected is not None and kind != expected:
            raise BakingError(f"the body is a {kind.upper()}, not the {expected.upper()} announced", code="wrong_image")
        baked = extract_image(body)
    except BakingError as exc:
        raise UnreadableInput(f"the image carries no readable credential: {exc.message}", code=exc.code) from exc
    if baked.ob_version == "3.0" and baked.format in (CredentialFormat.JSON, CredentialFormat.JWS):
        return baked.text.encode("utf-8")
    return body  # the verification reports what it is (an OB 2.0 assertion)


def presented_upload(data: bytes) -> bytes:
    """An uploaded file of unknown type: an image if it is one, otherwise JSON or VC-JWT text."""
    try:
        image_kind(data)
    except BakingError:
        return presented_from_text(data)
    return presented_image(data)


def _is_enveloped(value: dict[str, Any]) -> bool:
    types = value.get("type")
    names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return "EnvelopedVerifiableCredential" in names


def _from_envelope(data_url: str) -> bytes:
    for prefix in ENVELOPED_PREFIXES:
        if data_url.startswith(prefix):
            return presented_from_text(unquote_to_bytes(data_url.removeprefix(prefix)))
    raise UnreadableInput(
        "an EnvelopedVerifiableCredential's id must be a data: URL of media type application/vc+jwt",
        code="unsupported_envelope",
    )
