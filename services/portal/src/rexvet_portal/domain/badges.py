"""An issued badge as "my badges" shows it, and the LinkedIn "add to profile" link it offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class IssuedBadge:
    credential_id: str  # the credential's id (urn:uuid:...)
    badge_id: str
    name: str  # the achievement's name
    issuer_name: str
    issued_at: datetime
    expires_at: datetime | None
    public_url: str  # the credential's public address (JSON)
    image_png: str
    image_svg: str
    revoked: bool
    suspended: bool
    organization_id: str | None = None  # the institution's LinkedIn organization id, once its profile has one

    @property
    def status(self) -> str:
        if self.revoked:
            return "revoked"
        if self.suspended:
            return "suspended"
        return "valid"


@dataclass(frozen=True)
class WalletOffer:
    """A one-time offer of a badge to a wallet (OpenID4VCI): its link, when it expires, and its code if asked for."""

    offer_link: str  # openid-credential-offer://?credential_offer_uri=...
    expires_at: datetime
    tx_code: str | None
    lcw_link: str | None = None  # the Learner Credential Wallet's deep link (VC-API exchange); none with a tx_code


def linkedin_add_to_profile_url(badge: IssuedBadge) -> str:
    """LinkedIn's add-to-profile link (startTask=CERTIFICATION_NAME), every value URL-encoded.

    `organizationId` when the institution has one, otherwise `organizationName`; the expiration only when the badge
    expires.
    """
    parameters: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", badge.name)]
    if badge.organization_id:
        parameters.append(("organizationId", badge.organization_id))
    else:
        parameters.append(("organizationName", badge.issuer_name))
    parameters += [("issueYear", str(badge.issued_at.year)), ("issueMonth", str(badge.issued_at.month))]
    if badge.expires_at is not None:
        parameters += [
            ("expirationYear", str(badge.expires_at.year)),
            ("expirationMonth", str(badge.expires_at.month)),
        ]
    parameters += [("certUrl", badge.public_url), ("certId", badge.credential_id)]
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in parameters)
    return f"{LINKEDIN_ADD_TO_PROFILE}?{query}"


def verify_url(verifier_base: str, badge: IssuedBadge) -> str:
    """The public verifier's result page for the badge's address."""
    return f"{verifier_base.rstrip('/')}/verify?url={quote(badge.public_url, safe='')}"
