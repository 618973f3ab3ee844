"""Verify a credential as it is presented: JSON with an embedded proof, VC-JWT text, or a baked PNG/SVG image."""

from __future__ import annotations

from typing import Any

from rexvet_credentials.baking.common import BakingError, CredentialFormat, is_image
from rexvet_credentials.baking.png_baking import extract_png
from rexvet_credentials.baking.svg_baking import extract_svg
from rexvet_credentials.jwt.verify import looks_like_jwt, verify_vc_jwt
from rexvet_credentials.report import CHECK_IDS, VerificationReport, failed, not_checked
from rexvet_credentials.verify import verify_credential

# Every check after parsing, from the report's own list, so a report about an unreadable image names them all.
SKIPPED_AFTER_PARSE = tuple(c for c in CHECK_IDS if c != "parse")


def _parse_failure(code: str, message: str, **details: Any) -> VerificationReport:
    checks = [failed("parse", code, message, **details)]
    because = "not checked because the input could not be parsed"
    checks += [not_checked(c, "skipped", because) for c in SKIPPED_AFTER_PARSE]
    return VerificationReport.from_checks(tuple(checks))


async def verify_presented(data: bytes, **ports: Any) -> VerificationReport:
    """`ports` are those of `verify_credential` (clock, key_resolver, status_checker, trusted_issuers...)."""
    text: bytes = data
    if is_image(data):
        try:
            baked = extract_png(data) if data.startswith(b"\x89PNG") else extract_svg(data)
        except BakingError as exc:
            return _parse_failure(exc.code, f"the image: {exc.message}")
        if baked.ob_version != "3.0":
            return _parse_failure(
                "ob2_assertion",
                f"the {baked.image_type.upper()} carries an Open Badges 2.0 assertion ({baked.format.value}); "
                "rexvet verifies Open Badges 3.0 credentials",
                assertion=baked.text if baked.format is CredentialFormat.URL else None,
            )
        text = baked.text.encode("utf-8")
    stripped = text.strip()
    if looks_like_jwt(stripped):
        jwt_ports = {k: v for k, v in ports.items() if k in _JWT_PORTS}
        return await verify_vc_jwt(stripped, **jwt_ports)
    return await verify_credential(stripped, **ports)


_JWT_PORTS = frozenset({"clock", "key_resolver", "status_checker", "trusted_issuers", "loader", "clock_skew"})
