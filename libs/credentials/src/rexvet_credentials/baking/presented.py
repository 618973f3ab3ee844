"""Verify a credential as it is presented: JSON with an embedded proof, VC-JWT text, or a baked PNG/SVG image."""

from __future__ import annotations

from typing import Any

from rexvet_credentials.baking.common import BakingError, CredentialFormat, is_image
from rexvet_credentials.baking.png_baking import extract_png
from rexvet_credentials.baking.svg_baking import extract_svg
from rexvet_credentials.checks import VERIFICATION_CHECKS, CheckRegistry
from rexvet_credentials.jwt.verify import looks_like_jwt, verify_vc_jwt
from rexvet_credentials.report import VerificationReport, failed
from rexvet_credentials.verify import verify_credential


def _parse_failure(checks: CheckRegistry, code: str, message: str, **details: Any) -> VerificationReport:
    # an unreadable image is reported like unreadable JSON: every Data Integrity check after parse, skipped
    return VerificationReport.from_checks(
        checks.data_integrity.after_parse_failure(failed("parse", code, message, **details))
    )


def unbaked(data: bytes, checks: CheckRegistry = VERIFICATION_CHECKS) -> bytes | VerificationReport:
    """The credential text that `data` presents (the baked one for an image), or the report of an image that
    carries none. Parsing an image is CPU work with no I/O: a server may run this apart from its event loop."""
    if not is_image(data):
        return data
    try:
        baked = extract_png(data) if data.startswith(b"\x89PNG") else extract_svg(data)
    except BakingError as exc:
        return _parse_failure(checks, exc.code, f"the image: {exc.message}")
    if baked.ob_version != "3.0":
        return _parse_failure(
            checks,
            "ob2_assertion",
            f"the {baked.image_type.upper()} carries an Open Badges 2.0 assertion ({baked.format.value}); "
            "rexvet verifies Open Badges 3.0 credentials",
            assertion=baked.text if baked.format is CredentialFormat.URL else None,
        )
    return baked.text.encode("utf-8")


async def verify_presented(data: bytes, **ports: Any) -> VerificationReport:
    """`ports` are those of `verify_credential` (clock, key_resolver, status_checker, trusted_issuers, checks...)."""
    text = unbaked(data, ports.get("checks", VERIFICATION_CHECKS))
    if isinstance(text, VerificationReport):
        return text
    stripped = text.strip()
    if looks_like_jwt(stripped):
        jwt_ports = {k: v for k, v in ports.items() if k in _JWT_PORTS}
        return await verify_vc_jwt(stripped, **jwt_ports)
    return await verify_credential(stripped, **ports)


_JWT_PORTS = frozenset({"clock", "key_resolver", "status_checker", "trusted_issuers", "loader", "clock_skew", "checks"})
