"""The portal's client of coaching's people directory: recording who signed in, listing the institution's coaches."""

from __future__ import annotations

from typing import Any

from rexvet_portal.adapters.service_http import ServiceClient
from rexvet_portal.domain.people import Coach

MAX_NAME_LENGTH = 200  # what coaching's directory keeps: a longer name from the provider would be refused whole


class DirectoryClient(ServiceClient):
    async def record_profile(self, token: str, *, display_name: str | None, email: str | None) -> None:
        """Tenant, id and roles are taken from the token by coaching; only the name and e-mail travel in the body."""
        body: dict[str, Any] = {}
        if display_name:
            body["display_name"] = display_name[:MAX_NAME_LENGTH]
        if email:
            body["email"] = email
        await self.http.call("PUT", "/v1/me/profile", token=token, json=body)

    async def coaches(self, token: str) -> list[Coach]:
        body = await self.http.call("GET", "/v1/institution/coaches", token=token)
        return [Coach(id=str(item["id"]), display_name=item.get("display_name")) for item in body]
