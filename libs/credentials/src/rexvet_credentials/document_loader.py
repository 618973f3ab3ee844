"""The offline JSON-LD document loader: serves pinned contexts only, never the network.

Each pinned file is read from its installed package once, checked against its pinned SHA-256, parsed, and kept
for the life of the process. Extra documents (for tests, or `--document URL=PATH` on the CLI) can be added to a
loader instance; they are served as given, because the caller chose them explicitly.

A loader is also given the memo of the contexts processed from its documents (`processed_contexts`): what a URL's
context processes to depends on what this loader serves for it, so the memo lives as long as the loader does.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from rexvet_credentials.contexts import PINNED_CONTEXTS, PinnedContext
from rexvet_credentials.errors import DocumentLoaderError
from rexvet_credentials.processed_contexts import BoundedContextMemo, ProcessedContexts

_BY_URL: dict[str, PinnedContext] = {c.url: c for c in PINNED_CONTEXTS}


def pinned_context_urls() -> frozenset[str]:
    return frozenset(_BY_URL)


def read_pinned_bytes(pinned: PinnedContext) -> bytes:
    """The file's bytes, after checking them against the pinned hash (a mismatch means a tampered install)."""
    try:
        data = resources.files(pinned.package).joinpath(pinned.resource).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise DocumentLoaderError(
            f"pinned context {pinned.url} is missing from the installation "
            f"({pinned.package}/{pinned.resource}): reinstall rexvet-credentials and its dependencies",
            code="context_missing",
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise DocumentLoaderError(
            f"pinned context {pinned.url} ({pinned.package}/{pinned.resource}) has SHA-256 {digest}, "
            f"expected {pinned.sha256}: the installed copy was changed; reinstall it",
            code="context_hash_mismatch",
        )
    return data


@cache
def _load_pinned(url: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(read_pinned_bytes(_BY_URL[url]))
    return document


def load_pinned_context(url: str) -> dict[str, Any]:
    """The parsed pinned context for `url`; DocumentLoaderError naming the URL for any other URL.

    The returned dict is shared: callers must not mutate it.
    """
    if url not in _BY_URL:
        raise DocumentLoaderError(
            f"context {url!r} is not one of the pinned contexts; rexvet never fetches contexts from the network",
            code="unknown_context",
        )
    return _load_pinned(url)


class DocumentLoader:
    """Pinned contexts plus, optionally, documents the caller supplies explicitly."""

    def __init__(
        self,
        extra_documents: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        processed_contexts: ProcessedContexts | None = None,
    ) -> None:
        """`processed_contexts` is this loader's own memo (jsonld_context.process): one bounded by entries if None."""
        self._extra: dict[str, Mapping[str, Any]] = dict(extra_documents or {})
        # `is None`, not `or`: an empty memo is falsy (it has a length) and must still be the one used
        self.processed_contexts: ProcessedContexts = (
            BoundedContextMemo() if processed_contexts is None else processed_contexts
        )

    def add_document(self, url: str, document: Mapping[str, Any]) -> None:
        self._extra[url] = document

    def knows(self, url: str) -> bool:
        return url in _BY_URL or url in self._extra

    @property
    def extra_urls(self) -> frozenset[str]:
        return frozenset(self._extra)

    def load(self, url: str) -> Mapping[str, Any]:
        extra = self._extra.get(url)
        if extra is not None:
            return extra
        return load_pinned_context(url)

    def pyld_loader(self, url: str, options: Any = None) -> dict[str, Any]:
        """pyld's documentLoader signature; raising here makes pyld fail instead of fetching.

        pyld gets a copy: the pinned objects are shared with the fast path and must never change.
        """
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(dict(self.load(url)))}


DEFAULT_LOADER = DocumentLoader(processed_contexts=BoundedContextMemo())
