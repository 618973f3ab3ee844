"""A DocumentFetcher that serves only documents given in advance (`--document URL=PATH`), for offline use."""

from __future__ import annotations

from collections.abc import Mapping

from rexvet_credentials.errors import FetchError
from rexvet_credentials.ports import FetchedDocument


class PreloadedFetcher:
    def __init__(self, documents: Mapping[str, bytes] | None = None) -> None:
        self._documents = dict(documents or {})

    def add(self, url: str, content: bytes) -> None:
        self._documents[url] = content

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        content = self._documents.get(url)
        if content is None:
            raise FetchError(
                f"{url} was not preloaded and this verifier works offline (give it with --document {url}=PATH)",
                code="document_not_preloaded",
            )
        return FetchedDocument(url, content, "application/json")
