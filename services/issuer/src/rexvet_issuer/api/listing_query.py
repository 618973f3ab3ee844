"""The query of a listing across an institution (its issued credentials, its wallet copies): one staff member's
entries or everyone's, newest first, a page at a time. One class, so that the listings page alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query


class InstitutionListing:
    def __init__(
        self,
        staff_id: str | None = Query(None, min_length=1, max_length=200),
        limit: int = Query(50, ge=1, le=200),
        cursor: str | None = None,
    ) -> None:
        self.staff_id = staff_id
        self.limit = limit
        self.cursor = cursor


InstitutionQuery = Annotated[InstitutionListing, Depends()]
