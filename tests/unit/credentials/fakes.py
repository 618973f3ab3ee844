"""Test doubles of the engine's own ports (DocumentFetcher, Clock) for the engine's tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from rexvet_credentials.errors import FetchError
from rexvet_credentials.ports import FetchedDocument


@dataclass
class FakeFetcher:
    """URL -> JSON document or FetchError code; records every fetch."""

    documents: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        self.fetched.append(url)
        if url in self.failures:
            raise FetchError(f"cannot fetch {url}", code=self.failures[url])
        if url not in self.documents:
            raise FetchError(f"{url} answered HTTP 404", code="fetch_http_status")
        document = self.documents[url]
        content = document if isinstance(document, bytes) else json.dumps(document).encode()
        return FetchedDocument(url=url, content=content, content_type="application/json")


@dataclass
class SteppingClock:
    instant: datetime = field(default_factory=lambda: datetime(2026, 6, 1, 12, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.instant

    def advance(self, delta: timedelta) -> None:
        self.instant += delta
