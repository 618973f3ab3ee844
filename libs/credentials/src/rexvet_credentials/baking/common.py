"""What baking and extraction share: the result type, the error, and telling formats apart."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from rexvet_credentials.errors import CredentialError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A baked credential larger than this is refused (extraction inflates compressed iTXt chunks up to it).
MAX_BAKED_BYTES = 4 * 1024 * 1024


class BakingError(CredentialError):
    code = "baking_failed"


class CredentialFormat(StrEnum):
    JSON = "json"  # a credential with an embedded proof (or an OB 2.0 assertion)
    JWS = "jws"  # a compact JWS (VC-JWT, or a signed OB 2.0 assertion)
    URL = "url"  # OB 2.0 hosted assertion: only its URL is baked


@dataclass(frozen=True, slots=True)
class BakedCredential:
    """`ob_version` is "3.0" (openbadgecredential / openbadges:credential) or "2.0" (openbadges / assertion)."""

    text: str
    format: CredentialFormat
    ob_version: str
    image_type: str


def classify(text: str) -> CredentialFormat:
    stripped = text.strip()
    if stripped.startswith("{"):
        return CredentialFormat.JSON
    if stripped.startswith("http://") or stripped.startswith("https://"):
        return CredentialFormat.URL
    if stripped.count(".") == 2:
        return CredentialFormat.JWS
    raise BakingError("the baked content is neither JSON, a compact JWS nor a URL", code="baked_content_unknown")


def check_bakeable(credential: str) -> CredentialFormat:
    """Only an OB 3.0 credential is baked: a JSON object or a compact JWS, nothing else."""
    if len(credential.encode("utf-8")) > MAX_BAKED_BYTES:
        raise BakingError(f"the credential is larger than {MAX_BAKED_BYTES} bytes", code="baked_content_too_large")
    kind = classify(credential)
    if kind is CredentialFormat.JSON:
        try:
            value = json.loads(credential)
        except ValueError as exc:
            raise BakingError(f"the credential is not valid JSON: {exc}", code="not_json") from exc
        if not isinstance(value, dict):
            raise BakingError("a credential is a JSON object", code="not_an_object")
    elif kind is CredentialFormat.URL:
        raise BakingError("OB 3.0 bakes the credential itself, not a URL", code="baked_content_unknown")
    return kind


def image_kind(image: bytes) -> str:
    if image.startswith(PNG_SIGNATURE):
        return "png"
    head = image[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # Markup first: a JSON credential that mentions "<svg" in a string is still JSON.
    if head.startswith(b"<") and b"<svg" in image[:4096].lower():
        return "svg"
    raise BakingError("the image is neither a PNG nor an SVG", code="unsupported_image")


def is_image(data: bytes) -> bool:
    try:
        image_kind(data)
    except BakingError:
        return False
    return True
