"""SQL for the document store's queries: field paths, equality filters, sort order and keyset cursors.

Each collection is a table `(id, version, body)` with the document as JSON in `body`; an indexed field is the
expression `json_extract(body, '$.path')`, which must be written the same way in the index and in the query for
SQLite to use the index. Paths are validated before they are put in SQL (SQLite cannot bind them as parameters).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from rexvet_common.errors import InvalidQueryError
from rexvet_common.ports.document_store import Scalar, SortOrder

FIELD_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
COLLECTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
COLUMNS = {"_id": "id", "_version": "version"}


def check_collection(name: str) -> str:
    if not COLLECTION_PATTERN.match(name):
        raise InvalidQueryError(f"collection name {name!r} must be lowercase letters, digits and '_' (max 63)")
    return name


def table(collection: str) -> str:
    return f'"c_{check_collection(collection)}"'


def field_sql(field: str) -> str:
    """The SQL expression of a document field, identical in index definitions and in queries."""
    if field in COLUMNS:
        return COLUMNS[field]
    if not FIELD_PATTERN.match(field):
        raise InvalidQueryError(f"field {field!r} must be a dotted path of letters, digits and '_'")
    return f"json_extract(body, '$.{field}')"


def check_queryable(collection: str, fields: Sequence[str], indexed: set[str]) -> None:
    for field in fields:
        if field != "_id" and field not in indexed:
            raise InvalidQueryError(
                f"field {field!r} of collection {collection!r} is not indexed; declare an Index on it in "
                f"ensure_collection or query an indexed field ({', '.join(sorted(indexed)) or 'only _id'})"
            )


def where_sql(where: Mapping[str, Scalar]) -> tuple[str, list[Scalar]]:
    clauses: list[str] = []
    params: list[Scalar] = []
    for field, value in where.items():
        if value is None:
            clauses.append(f"{field_sql(field)} IS NULL")  # matches null and missing, as MongoDB does
        elif isinstance(value, str | int | float | bool):
            clauses.append(f"{field_sql(field)} = ?")
            params.append(value)
        else:
            raise InvalidQueryError(f"filter on {field!r} must be a string, number, boolean or None")
    return (" AND ".join(clauses) or "1"), params


def order_sql(sort: Sequence[tuple[str, SortOrder]]) -> str:
    parts = [f"{field_sql(f)} {'ASC' if o == SortOrder.ASCENDING else 'DESC'}" for f, o in sort]
    return ", ".join([*parts, "id ASC"])


def after_cursor_sql(sort: Sequence[tuple[str, SortOrder]], values: Sequence[Scalar]) -> tuple[str, list[Scalar]]:
    """Rows strictly after the cursor's row in `ORDER BY sort..., id` (SQLite puts NULL first when ascending)."""
    keys = [*sort, ("_id", SortOrder.ASCENDING)]
    alternatives: list[str] = []
    params: list[Scalar] = []
    for i, (field, order) in enumerate(keys):
        terms: list[str] = []
        for j in range(i):
            terms.append(f"{field_sql(keys[j][0])} IS ?")
            params.append(values[j])
        expr, value = field_sql(field), values[i]
        if order == SortOrder.ASCENDING:
            terms.append(f"{expr} IS NOT NULL" if value is None else f"{expr} > ?")
        else:
            terms.append("0" if value is None else f"({expr} < ? OR {expr} IS NULL)")
        if value is not None:
            params.append(value)
        alternatives.append("(" + " AND ".join(terms) + ")")
    return "(" + " OR ".join(alternatives) + ")", params


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
