"""JSON-LD document -> canonical N-Quads, choosing the fastest path that is correct for the document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rexvet_credentials.canonicalize import DEFAULT_WORK_LIMIT, WorkLimit, canonicalize
from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.jsonld_context import Unsupported
from rexvet_credentials.jsonld_fast import to_quads_fast
from rexvet_credentials.jsonld_pyld import to_quads_pyld
from rexvet_credentials.nquads import Quad


def to_quads(document: Mapping[str, Any], loader: DocumentLoader = DEFAULT_LOADER) -> list[Quad]:
    """The fast path for what credentials use; pyld (also in safe mode) for any other JSON-LD."""
    try:
        return to_quads_fast(document, loader)
    except Unsupported:
        return to_quads_pyld(document, loader)


def canonical_nquads(
    document: Mapping[str, Any],
    loader: DocumentLoader = DEFAULT_LOADER,
    limit: WorkLimit = DEFAULT_WORK_LIMIT,
) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, in safe mode, with pinned contexts only."""
    return canonicalize(to_quads(document, loader), limit)
