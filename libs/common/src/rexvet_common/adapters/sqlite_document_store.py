"""The `DocumentStore` port on a SQLite file: one table per collection, documents as JSON, indexes on expressions.

Declared indexes are also recorded in a `_collections` table so every process (and every restart) knows which
fields may be queried, whichever process declared them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from pydantic_settings import SettingsConfigDict

from rexvet_common.adapters import sqlite_document_query as q
from rexvet_common.adapters.document_rules import (
    check_page_limit,
    check_queryable,
    check_storable,
    decode_cursor,
    encode_cursor,
)
from rexvet_common.adapters.sqlite_support import SqliteRunner, write_transaction
from rexvet_common.backend_registry import Backend, BackendSettings, BuildContext
from rexvet_common.errors import (
    DocumentNotFoundError,
    DocumentStoreError,
    DuplicateKeyError,
    InvalidQueryError,
    VersionConflictError,
)
from rexvet_common.ports.document_store import Document, Index, Page, Scalar, SortOrder


class SqliteDocumentStore:
    def __init__(self, path: Path | str) -> None:
        self._db = SqliteRunner(path, name="document-store")
        self._indexed: dict[str, set[str]] = {}  # collection -> queryable fields, as far as this process knows

    async def ensure_collection(self, name: str, indexes: Sequence[Index] = ()) -> None:
        await self._db.run(partial(self._ensure, name=name, indexes=tuple(indexes)))

    def _ensure(self, conn: sqlite3.Connection, name: str, indexes: tuple[Index, ...]) -> None:
        table = q.table(name)
        specs = [(list(ix.fields), ix.unique) for ix in indexes]
        for fields, _ in specs:
            if not fields:
                raise InvalidQueryError(f"an index of collection {name!r} needs at least one field")
            for field in fields:
                q.field_sql(field)
        try:
            with write_transaction(conn):
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} "
                    "(id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL)"
                )
                conn.execute("CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY, indexes TEXT NOT NULL)")
                row = conn.execute("SELECT indexes FROM _collections WHERE name = ?", (name,)).fetchone()
                known = json.loads(row[0]) if row else []
                for fields, unique in specs:
                    if [fields, unique] not in known:
                        known.append([fields, unique])
                    ix_name = _index_name(name, fields, unique)
                    columns = ", ".join(q.field_sql(f) for f in fields)
                    conn.execute(
                        f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS {ix_name} ON {table} ({columns})"
                    )
                conn.execute(
                    "INSERT OR REPLACE INTO _collections (name, indexes) VALUES (?, ?)", (name, json.dumps(known))
                )
        except sqlite3.IntegrityError as exc:
            raise DuplicateKeyError(
                f"cannot create a unique index on {name!r}: existing documents repeat a value ({exc})"
            ) from exc
        self._indexed[name] = {f for fields, _ in known for f in fields}

    def _prepare(self, conn: sqlite3.Connection, name: str) -> str:
        """The collection's table, created on first use as MongoDB does, with its declared indexes loaded."""
        if name not in self._indexed:
            self._ensure(conn, name, ())
        return q.table(name)

    def _check_fields(self, conn: sqlite3.Connection, name: str, fields: Sequence[str]) -> None:
        try:
            check_queryable(name, fields, self._indexed[name])
        except InvalidQueryError:
            self._ensure(conn, name, ())  # another process may have declared the index since we last looked
            check_queryable(name, fields, self._indexed[name])

    async def insert(self, collection: str, document: Document) -> Document:
        doc_id, body = _split(document)
        return await self._db.run(partial(self._insert, name=collection, doc_id=doc_id, body=body))

    def _insert(self, conn: sqlite3.Connection, name: str, doc_id: str, body: str) -> Document:
        table = self._prepare(conn, name)
        try:
            conn.execute(f"INSERT INTO {table} (id, version, body) VALUES (?, 1, ?)", (doc_id, body))
        except sqlite3.IntegrityError as exc:
            raise DuplicateKeyError(f"{name}: document {doc_id!r} repeats a unique value ({exc})") from exc
        return _join(doc_id, 1, body)

    async def get(self, collection: str, doc_id: str) -> Document | None:
        return await self._db.run(partial(self._get, name=collection, doc_id=doc_id))

    def _get(self, conn: sqlite3.Connection, name: str, doc_id: str) -> Document | None:
        row = conn.execute(
            f"SELECT id, version, body FROM {self._prepare(conn, name)} WHERE id = ?", (doc_id,)
        ).fetchone()
        return _join(*row) if row else None

    async def replace(self, collection: str, document: Document) -> Document:
        version = document.get("_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise DocumentStoreError("replace needs the document's integer '_version' as read (compare-and-swap)")
        doc_id, body = _split(document)
        return await self._db.run(partial(self._replace, name=collection, doc_id=doc_id, version=version, body=body))

    def _replace(self, conn: sqlite3.Connection, name: str, doc_id: str, version: int, body: str) -> Document:
        table = self._prepare(conn, name)
        try:
            with write_transaction(conn):
                updated = conn.execute(
                    f"UPDATE {table} SET version = version + 1, body = ? WHERE id = ? AND version = ?",
                    (body, doc_id, version),
                ).rowcount
                if not updated:
                    row = conn.execute(f"SELECT version FROM {table} WHERE id = ?", (doc_id,)).fetchone()
                    if row is None:
                        raise DocumentNotFoundError(f"{name}: document {doc_id!r} does not exist (deleted?)")
                    raise VersionConflictError(
                        f"{name}: document {doc_id!r} is at version {row[0]}, not {version}; re-read and apply again"
                    )
        except sqlite3.IntegrityError as exc:
            raise DuplicateKeyError(f"{name}: document {doc_id!r} would repeat a unique value ({exc})") from exc
        return _join(doc_id, version + 1, body)

    async def delete(self, collection: str, doc_id: str, *, expected_version: int | None = None) -> bool:
        return await self._db.run(partial(self._delete, name=collection, doc_id=doc_id, expected=expected_version))

    def _delete(self, conn: sqlite3.Connection, name: str, doc_id: str, expected: int | None) -> bool:
        table = self._prepare(conn, name)
        with write_transaction(conn):
            row = conn.execute(f"SELECT version FROM {table} WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                return False
            if expected is not None and row[0] != expected:
                raise VersionConflictError(f"{name}: document {doc_id!r} is at version {row[0]}, not {expected}")
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (doc_id,))
        return True

    async def find(
        self,
        collection: str,
        where: Mapping[str, Scalar] | None = None,
        *,
        sort: Sequence[tuple[str, SortOrder]] = (),
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page:
        check_page_limit(limit)
        sort = [(f, SortOrder(o)) for f, o in sort]
        after = decode_cursor(cursor, sort) if cursor is not None else None
        return await self._db.run(
            partial(self._find, name=collection, where=dict(where or {}), sort=sort, limit=limit, after=after)
        )

    def _find(
        self,
        conn: sqlite3.Connection,
        name: str,
        where: dict[str, Scalar],
        sort: list[tuple[str, SortOrder]],
        limit: int,
        after: list[Scalar] | None,
    ) -> Page:
        table = self._prepare(conn, name)
        self._check_fields(conn, name, [*where, *(f for f, _ in sort)])
        condition, params = q.where_sql(where)
        if after is not None:
            after_sql, after_params = q.after_cursor_sql(sort, after)
            condition, params = f"({condition}) AND {after_sql}", [*params, *after_params]
        keys = ", ".join(q.field_sql(f) for f, _ in sort)
        rows = conn.execute(
            f"SELECT id, version, body{', ' + keys if keys else ''} FROM {table} WHERE {condition} "
            f"ORDER BY {q.order_sql(sort)} LIMIT ?",
            [*params, limit + 1],
        ).fetchall()
        items = [_join(row[0], row[1], row[2]) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor(sort, [*last[3:], last[0]])
        return Page(items=items, next_cursor=next_cursor)

    async def count(self, collection: str, where: Mapping[str, Scalar] | None = None) -> int:
        return await self._db.run(partial(self._count, name=collection, where=dict(where or {})))

    def _count(self, conn: sqlite3.Connection, name: str, where: dict[str, Scalar]) -> int:
        table = self._prepare(conn, name)
        self._check_fields(conn, name, list(where))
        condition, params = q.where_sql(where)
        return int(conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {condition}", params).fetchone()[0])

    async def ping(self) -> None:
        await self._db.run(lambda conn: conn.execute("SELECT 1").fetchall())

    async def close(self) -> None:
        await self._db.close()


def _split(document: Document) -> tuple[str, str]:
    doc_id = document.get("_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise DocumentStoreError("a document needs a non-empty string '_id'")
    body = {k: v for k, v in document.items() if k not in ("_id", "_version")}
    check_storable(doc_id, body)
    try:
        return doc_id, json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise DocumentStoreError(
            f"document {doc_id!r} must hold only JSON values (str, number, bool, None, list, dict): {exc}"
        ) from exc


def _join(doc_id: str, version: int, body: str) -> Document:
    document: dict[str, Any] = {"_id": doc_id}
    document.update(json.loads(body))
    document["_version"] = version
    return document


def _index_name(collection: str, fields: list[str], unique: bool) -> str:
    digest = hashlib.sha1(json.dumps([fields, unique]).encode()).hexdigest()[:12]
    return f'"ix_{collection}_{digest}"'


class SqliteDocumentSettings(BackendSettings):
    """REXVET_DOCUMENTS=sqlite: one SQLite file per service under REXVET_DATA_DIR; nothing to configure."""

    model_config = SettingsConfigDict(env_prefix="REXVET_SQLITE_", extra="ignore")


def _build(context: BuildContext, settings: SqliteDocumentSettings) -> SqliteDocumentStore:
    context.service.documents_path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteDocumentStore(context.service.documents_path)


# What the configuration reference says of it.
SUMMARY = "one SQLite file per service under REXVET_DATA_DIR (make run)"
BACKEND = Backend("documents", "sqlite", SqliteDocumentSettings, _build, summary=SUMMARY)
