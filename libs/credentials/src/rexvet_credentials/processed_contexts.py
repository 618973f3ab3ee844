"""The memo of processed JSON-LD contexts: its port, and the bounded store a document loader gets by default.

Processing a context is the costly part of the fast JSON-LD path; the type- and property-scoped contexts a
credential triggers repeat across credentials, so each is processed once per process, not per call. A URL's
context is whatever the loader serves for it, so one memo belongs to one loader: the loader is given its memo
when it is built (`DocumentLoader(processed_contexts=...)`) and `jsonld_context.process` reads it from there.
"""

from __future__ import annotations

from typing import Any, Protocol

from rexvet_credentials.active_context import ActiveContext

# (uid of the context processed against, the local context's key, propagate, override_protected)
ContextKey = tuple[Any, ...]

DEFAULT_MAX_CONTEXTS = 10_000


class ProcessedContexts(Protocol):
    """Where processed contexts are remembered; `get` answers None for what it does not hold."""

    def get(self, key: ContextKey) -> ActiveContext | None: ...

    def put(self, key: ContextKey, context: ActiveContext) -> None: ...


class BoundedContextMemo:
    """At most `max_contexts` entries, emptied when full.

    Contexts derived from embedded (uncached) ones get fresh uids, so their entries never repeat: the bound keeps
    hostile documents from growing the memo, and emptying it (rather than evicting one by one) costs the common
    case, a few pinned contexts hit again and again, no bookkeeping on each hit.
    """

    __slots__ = ("_entries", "_max")

    def __init__(self, max_contexts: int = DEFAULT_MAX_CONTEXTS) -> None:
        self._entries: dict[ContextKey, ActiveContext] = {}
        self._max = max_contexts

    def get(self, key: ContextKey) -> ActiveContext | None:
        return self._entries.get(key)

    def put(self, key: ContextKey, context: ActiveContext) -> None:
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[key] = context

    def __len__(self) -> int:
        return len(self._entries)
