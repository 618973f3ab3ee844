"""Rules every document store adapter applies the same way: names, storable values, queryable fields, page sizes
and cursors.

Engine-neutral, so that the SQLite and the MongoDB-wire adapters refuse the same queries with the same messages and
page with interchangeable cursors (the contract suite holds both to that).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from typing import Any

from rexvet_common.errors import DocumentStoreError, InvalidQueryError
from rexvet_common.ports.document_store import Scalar, SortOrder, unstorable_reason

MAX_PAGE = 1000
FIELD_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
COLLECTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def check_collection(name: str) -> str:
    if not COLLECTION_PATTERN.match(name):
        raise InvalidQueryError(f"collection name {name!r} must be lowercase letters, digits and '_' (max 63)")
    return name


def check_storable(doc_id: str, body: Any) -> None:
    """Refuse what some MongoDB-wire engine refuses, on every engine (see `unstorable_reason`)."""
    problem = unstorable_reason(body)
    if problem is not None:
        raise DocumentStoreError(f"document {doc_id!r} cannot be stored: {problem}")


def check_queryable(collection: str, fields: Sequence[str], indexed: set[str]) -> None:
    for field in fields:
        if field != "_id" and field not in indexed:
            raise InvalidQueryError(
                f"field {field!r} of collection {collection!r} is not indexed; declare an Index on it in "
                f"ensure_collection or query an indexed field ({', '.join(sorted(indexed)) or 'only _id'})"
            )


def encode_cursor(sort: Sequence[tuple[str, SortOrder]], values: Sequence[Any]) -> str:
    raw = json.dumps({"s": [[f, int(o)] for f, o in sort], "v": list(values)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sequence[tuple[str, SortOrder]]) -> list[Scalar]:
    """The cursor's sort values; refused when it is malformed or was made for another sort order."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        same_sort = decoded["s"] == [[f, int(o)] for f, o in sort]
        values = decoded["v"]
        well_formed = isinstance(values, list) and len(values) == len(sort) + 1
    except (ValueError, binascii.Error, KeyError, TypeError) as exc:
        raise InvalidQueryError("cursor is malformed; pass the next_cursor of the previous page unchanged") from exc
    if not same_sort or not well_formed or not all(v is None or isinstance(v, str | int | float) for v in values):
        raise InvalidQueryError("cursor does not belong to this query's sort order; start again without a cursor")
    return list(values)


def check_page_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidQueryError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    return limit
