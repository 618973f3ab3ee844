"""A DocumentFetcher that serves documents given in advance (`--document URL=PATH`), then asks a fallback fetcher.

Without a fallback it works offline (air-gapped verification): a URL not given in advance is a `FetchError`, so the
check that needed it is reported as not run. With one (the guarded fetcher), the documents given in advance win and
everything else is fetched.
"""

from __future__ import annotations

from collections.abc import Mapping

from rexvet_credentials.errors import FetchError
from rexvet_credentials.ports import DocumentFetcher, FetchedDocument


class PreloadedFetcher:
    def __init__(
        self, documents: Mapping[str, bytes] | None = None, *, fallback: DocumentFetcher | None = None
    ) -> None:
        self._documents = dict(documents or {})
        self._fallback = fallback

    def add(self, url: str, content: bytes) -> None:
        self._documents[url] = content

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        content = self._documents.get(url)
        if content is not None:
            return FetchedDocument(url, content, "application/json")
        if self._fallback is not None:
            return await self._fallback.fetch(url, accept=accept)
        raise FetchError(
            f"{url} was not preloaded and this verifier works offline (give it with --document {url}=PATH)",
            code="document_not_preloaded",
        )
