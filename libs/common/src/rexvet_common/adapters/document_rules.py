"""Rules every document store adapter applies the same way: names, storable values, queryable fields, page sizes
and cursors.

Engine-neutral, so that the SQLite and the MongoDB-wire adapters refuse the same queries with the same messages and
page with interchangeable cursors (the contract suite holds both to that).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Sequence
from typing import Any

from rexvet_common.errors import DocumentStoreError, InvalidQueryError
from rexvet_common.ports.document_store import Scalar, SortOrder

MAX_PAGE = 1000
FIELD_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
COLLECTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def check_collection(name: str) -> str:
    if not COLLECTION_PATTERN.match(name):
        raise InvalidQueryError(f"collection name {name!r} must be lowercase letters, digits and '_' (max 63)")
    return name


INT64 = range(-(2**63), 2**63)


def check_storable(doc_id: str, body: Any) -> None:
    """Refuse what some MongoDB-wire engine refuses, on every engine, so a document the embedded store takes is one
    FerretDB and MongoDB take too (a projection with nested arrays once passed every embedded test and then
    dead-lettered on FerretDB).

    JSON values only (no NaN or infinity); integers within 64 bits; no string with a NUL character (PostgreSQL's
    jsonb, under FerretDB, refuses it); no key with '.' or a leading '$'; no
    array directly inside an array (FerretDB 1.x: "nested arrays are not supported").
    """
    problem = _first_unstorable(body, "$")
    if problem is not None:
        raise DocumentStoreError(f"document {doc_id!r} cannot be stored: {problem}")


def _first_unstorable(value: Any, path: str, in_array: bool = False) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return f"{path}: a string with a NUL character" if "\x00" in value else None
    if isinstance(value, int):
        return None if value in INT64 else f"{path}: integer {value} does not fit in 64 bits"
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path}: {value} is not a JSON number"
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{path}: key {key!r} is not a string"
            if "." in key or key.startswith("$"):
                return f"{path}: key {key!r} contains '.' or starts with '$'"
            found = _first_unstorable(item, f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        if in_array:
            return f"{path}: an array inside an array (use an array of objects)"
        for index, item in enumerate(value):
            found = _first_unstorable(item, f"{path}[{index}]", in_array=True)
            if found is not None:
                return found
        return None
    return f"{path}: {type(value).__name__} is not a JSON value"


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
