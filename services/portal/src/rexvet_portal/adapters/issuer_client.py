"""The portal's client of the issuer service: the signed-in person's credentials."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rexvet_portal.adapters.service_http import ServiceClient
from rexvet_portal.domain.badges import IssuedBadge, WalletOffer


class IssuerClient(ServiceClient):
    async def my_credentials(self, token: str) -> list[IssuedBadge]:
        badges: list[IssuedBadge] = []
        async for body in self.http.pages("/v1/me/credentials", token=token):
            # The institution's LinkedIn organization id, when its issuer profile has one (the same for every badge).
            organization_id = body.get("linkedin_organization_id")
            badges += [issued_badge_from(item, organization_id) for item in body["items"]]
        return badges

    async def wallet_offer(self, token: str, credential_uuid: str, *, with_tx_code: bool) -> WalletOffer:
        path = f"/v1/me/credentials/{credential_uuid}/wallet-offer"
        body = await self.http.call("POST", path, token=token, json={"tx_code": with_tx_code})
        expires = _time(body["expires_at"])
        assert expires is not None
        return WalletOffer(
            offer_link=str(body["offer_link"]),
            expires_at=expires,
            tx_code=body.get("tx_code"),
            lcw_link=body.get("lcw_link"),
        )


def _name(value: Any, fallback: str) -> str:
    """OB 3.0 names may be a string or a language map; the page shows one."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        return str(value.get("en") or next(iter(value.values())))
    return fallback


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def issued_badge_from(item: dict[str, Any], organization_id: str | None = None) -> IssuedBadge:
    credential = item.get("credential") or {}
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    issuer = credential.get("issuer") or {}
    issued = _time(credential.get("validFrom")) or _time(item["issued_at"])
    assert issued is not None
    return IssuedBadge(
        credential_id=str(item.get("credential_id") or credential.get("id")),
        badge_id=str(item["badge_id"]),
        name=_name(achievement.get("name") or credential.get("name"), str(item["badge_id"])),
        issuer_name=_name(issuer.get("name") if isinstance(issuer, dict) else None, ""),
        issued_at=issued,
        expires_at=_time(credential.get("validUntil")),
        public_url=str(item["url"]),
        image_png=str(item["image_png"]),
        image_svg=str(item["image_svg"]),
        revoked=bool(item.get("revoked")),
        suspended=bool(item.get("suspended")),
        organization_id=str(organization_id) if organization_id else None,
    )
