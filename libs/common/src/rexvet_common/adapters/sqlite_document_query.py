"""SQL for the document store's queries: field paths, equality filters, sort order and keyset cursors.

Each collection is a table `(id, version, body)` with the document as JSON in `body`; an indexed field is the
expression `json_extract(body, '$.path')`, which must be written the same way in the index and in the query for
SQLite to use the index. Paths are validated before they are put in SQL (SQLite cannot bind them as parameters).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rexvet_common.adapters.document_rules import FIELD_PATTERN, check_collection
from rexvet_common.errors import InvalidQueryError
from rexvet_common.ports.document_store import Scalar, SortOrder

COLUMNS = {"_id": "id", "_version": "version"}


def table(collection: str) -> str:
    return f'"c_{check_collection(collection)}"'


def field_sql(field: str) -> str:
    """The SQL expression of a document field, identical in index definitions and in queries."""
    if field in COLUMNS:
        return COLUMNS[field]
    if not FIELD_PATTERN.match(field):
        raise InvalidQueryError(f"field {field!r} must be a dotted path of letters, digits and '_'")
    return f"json_extract(body, '$.{field}')"


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
