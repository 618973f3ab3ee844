"""Document store port: JSON documents in collections, shaped for what every MongoDB-wire engine offers.

No multi-document transactions (FerretDB and single-node MongoDB lack them): a change that must happen together lives
in one document, and compare-and-swap on `_version` guards concurrent writers.

Rules every adapter follows (the contract suite checks them):
- A document is a JSON object with a string `_id`. The store owns `_version` (1 on insert, +1 on each replace).
- `find` and `count` filter by equality on `_id` or on fields declared in an `Index` of the collection (dotted
  paths allowed); other fields are refused with `InvalidQueryError` so that no query scans a collection by accident.
- `find` sorts by the given fields (indexed ones too) and then by `_id`, and pages with an opaque cursor that stays
  valid while documents are added; missing or null values sort first when ascending, last when descending.
- Values are JSON (str, int, float, bool, None, lists, objects) that every engine takes (`unstorable_reason`); a
  document in a unique index has all its fields (engines differ on missing values there, and FerretDB has no partial
  indexes to paper over it).
- A collection used before `ensure_collection` exists, empty, with only `_id` queryable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

Document = dict[str, Any]
Scalar = str | int | float | bool | None


class SortOrder(IntEnum):
    ASCENDING = 1
    DESCENDING = -1


@dataclass(frozen=True)
class Index:
    fields: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class Page:
    items: list[Document] = field(default_factory=list)
    next_cursor: str | None = None


class DocumentStore(Protocol):
    async def ensure_collection(self, name: str, indexes: Sequence[Index] = ()) -> None:
        """Create the collection and its indexes if missing; idempotent, safe from several replicas."""

    async def insert(self, collection: str, document: Document) -> Document:
        """Store a new document; returns it with `_version` 1. `DuplicateKeyError` on `_id` or a unique index."""

    async def get(self, collection: str, doc_id: str) -> Document | None: ...

    async def replace(self, collection: str, document: Document) -> Document:
        """Compare-and-swap: store `document` if the stored `_version` equals `document['_version']`.

        Returns the stored document (version + 1). `VersionConflictError` when another writer came first,
        `DocumentNotFoundError` when it is gone, `DuplicateKeyError` on a unique index.
        """

    async def delete(self, collection: str, doc_id: str, *, expected_version: int | None = None) -> bool:
        """Delete; False when absent. With `expected_version`, `VersionConflictError` if it differs."""

    async def find(
        self,
        collection: str,
        where: Mapping[str, Scalar] | None = None,
        *,
        sort: Sequence[tuple[str, SortOrder]] = (),
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page: ...

    async def count(self, collection: str, where: Mapping[str, Scalar] | None = None) -> int: ...

    async def ping(self) -> None:
        """Raise `BackendUnavailableError` when the store cannot be reached (used by /readyz)."""

    async def close(self) -> None: ...


INT64 = range(-(2**63), 2**63)


def unstorable_reason(value: Any) -> str | None:
    """Why some MongoDB-wire engine would refuse `value` (None when every engine takes it).

    Every adapter refuses what this names, so a document the embedded store takes is one FerretDB and MongoDB take
    too (a projection with nested arrays once passed every embedded test and then dead-lettered on FerretDB). JSON
    values only (no NaN or infinity); integers within 64 bits; no string with a NUL character (PostgreSQL's jsonb,
    under FerretDB, refuses it); no string with a lone surrogate such as "\\ud800" (it has no UTF-8 form, so no
    engine can be sent it); no key with '.' or a leading '$'; no array directly inside an array (FerretDB 1.x:
    "nested arrays are not supported"). Intake that takes free-form JSON checks it too, to answer 422, not 500.
    """
    found = first_unstorable(value)
    return None if found is None else f"{found.path}: {found.reason}"


@dataclass(frozen=True)
class Unstorable:
    """Where (`$.a.b[0]`, `$` the value itself) and why a value is refused; the HTTP edge names the field from it."""

    path: str
    reason: str
    parts: tuple[str | int, ...] = ()


def first_unstorable(value: Any) -> Unstorable | None:
    """The first part of `value` that `unstorable_reason` refuses, with its location as path parts."""
    return _first_unstorable(value, ())


def has_lone_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _render(parts: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)


def _first_unstorable(value: Any, parts: tuple[str | int, ...], in_array: bool = False) -> Unstorable | None:
    def refused(reason: str) -> Unstorable:
        return Unstorable(_render(parts), reason, parts)

    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        if "\x00" in value:
            return refused("a string with a NUL character")
        return refused("a string with a lone surrogate (not UTF-8)") if has_lone_surrogate(value) else None
    if isinstance(value, int):
        return None if value in INT64 else refused(f"integer {value} does not fit in 64 bits")
    if isinstance(value, float):
        return None if math.isfinite(value) else refused(f"{value} is not a JSON number")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return refused(f"key {key!r} is not a string")
            if "." in key or key.startswith("$"):
                return refused(f"key {key!r} contains '.' or starts with '$'")
            if "\x00" in key or has_lone_surrogate(key):
                return refused(f"key {key!r} has a NUL character or a lone surrogate")
            found = _first_unstorable(item, (*parts, key))
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        if in_array:
            return refused("an array inside an array (use an array of objects)")
        for index, item in enumerate(value):
            found = _first_unstorable(item, (*parts, index), in_array=True)
            if found is not None:
                return found
        return None
    return refused(f"{type(value).__name__} is not a JSON value")
