"""The portal's client of the evidence service: the signed-in person's evidence, submitting it, attaching its file."""

from __future__ import annotations

from collections.abc import AsyncIterable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from rexvet_portal.adapters.service_http import ServiceClient
from rexvet_portal.domain.coaching import EvidenceRecord, PastReview, Submission
from rexvet_portal.domain.pathway import EvidenceFile, EvidenceItem, Review


class EvidenceClient(ServiceClient):
    async def mine(self, token: str) -> list[EvidenceItem]:
        """Every piece of the person's evidence (the service shows staff only their own), oldest first."""
        items: list[EvidenceItem] = []
        async for body in self.http.pages("/v1/evidence", token=token):
            items += [evidence_from(item) for item in body["items"]]
        return items

    async def review_queue(self, token: str, staff_ids: list[str]) -> list[EvidenceRecord]:
        """Filtered by the evidence service: one answer, however large the institution."""
        body = await self.http.call("POST", "/v1/evidence/review-queue", token=token, json={"staff_ids": staff_ids})
        return [record_from(item) for item in body["items"]]

    async def record_with_file_link(self, token: str, evidence_id: str) -> tuple[EvidenceRecord, str | None]:
        """One piece of evidence with its history, and its file's link; another institution's (or, for staff,
        another's) is a 404."""
        path = f"/v1/evidence/{quote(evidence_id, safe='')}"
        body = await self.http.call("GET", path, token=token, params={"include": "file_link"})
        link = body.get("file_link")
        return record_from(body), str(link["url"]) if link else None

    async def review(self, token: str, evidence_id: str, decision: str, comment: str | None) -> EvidenceRecord:
        request: dict[str, Any] = {"decision": decision} | ({"comment": comment} if comment else {})
        path = f"/v1/evidence/{quote(evidence_id, safe='')}/review"
        return record_from(await self.http.call("POST", path, token=token, json=request))

    async def resubmit(self, token: str, evidence_id: str, description: str | None) -> EvidenceItem:
        """Evidence returned for revision, sent back for review (its history kept by the service)."""
        request: dict[str, Any] = {"description": description} if description else {}
        path = f"/v1/evidence/{quote(evidence_id, safe='')}/resubmit"
        return evidence_from(await self.http.call("POST", path, token=token, json=request))

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


def record_from(body: dict[str, Any]) -> EvidenceRecord:
    return EvidenceRecord(
        item=evidence_from(body),
        staff_id=str(body["staff_id"]),
        submissions=tuple(
            Submission(int(s["number"]), _time(s.get("submitted_at")), s.get("title"), s.get("description"))
            for s in body.get("submissions", [])
        ),
        reviews=tuple(
            PastReview(
                decision=str(r["decision"]),
                comment=r.get("comment"),
                reviewer=str(r["reviewer"]),
                reviewed_at=_time(r.get("reviewed_at")),
                submission=r.get("submission"),
            )
            for r in body.get("reviews", [])
        ),
    )
