"""The portal's client of the evidence service: the signed-in person's evidence, submitting it, attaching its file."""

from __future__ import annotations

from collections.abc import AsyncIterable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from rexvet_portal.adapters.service_http import ServiceHttp
from rexvet_portal.domain.pathway import EvidenceFile, EvidenceItem, Review

PAGE_SIZE = 200


class EvidenceClient:
    def __init__(self, http: ServiceHttp) -> None:
        self.http = http

    async def mine(self, token: str) -> list[EvidenceItem]:
        """Every piece of the person's evidence (the service shows staff only their own), oldest first."""
        items: list[EvidenceItem] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": PAGE_SIZE} | ({"cursor": cursor} if cursor else {})
            body = await self.http.call("GET", "/v1/evidence", token=token, params=params)
            items += [evidence_from(item) for item in body["items"]]
            cursor = body.get("next_cursor")
            if not cursor:
                return items

    async def submit(
        self, token: str, *, title: str, description: str | None, badge_id: str, requirement_id: str
    ) -> EvidenceItem:
        request: dict[str, Any] = {"title": title, "badge_id": badge_id, "requirement_id": requirement_id}
        if description:
            request["description"] = description
        return evidence_from(await self.http.call("POST", "/v1/evidence", token=token, json=request))

    async def attach_file(
        self, token: str, evidence_id: str, chunks: AsyncIterable[bytes], content_type: str
    ) -> EvidenceItem:
        """The file's bytes streamed to the service as they arrive (the body itself, its type kept)."""
        body = await self.http.call(
            "PUT",
            f"/v1/evidence/{quote(evidence_id, safe='')}/file",
            token=token,
            content=chunks,
            content_type=content_type,
        )
        return evidence_from(body)


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def evidence_from(body: dict[str, Any]) -> EvidenceItem:
    file = body.get("file")
    review = body.get("review")
    return EvidenceItem(
        id=str(body["id"]),
        title=str(body["title"]),
        description=body.get("description"),
        badge_id=body.get("badge_id"),
        requirement_id=body.get("requirement_id"),
        status=str(body["status"]),
        submitted_at=_time(body.get("submitted_at")),
        file=EvidenceFile(int(file["size"]), str(file["content_type"])) if file else None,
        review=Review(
            decision=str(review["decision"]),
            comment=review.get("comment"),
            reviewer=str(review["reviewer"]),
            reviewed_at=_time(review.get("reviewed_at")),
        )
        if review
        else None,
    )
