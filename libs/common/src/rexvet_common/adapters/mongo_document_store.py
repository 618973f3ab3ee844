"""The `DocumentStore` port on a MongoDB-wire database: MongoDB (4.4+), or FerretDB 2.x on PostgreSQL with DocumentDB.

Those are the engines supported, because on both a `replace_one` (or `delete_one`) filtered on `_id` and `_version`
is one atomic step, and that is all compare-and-swap needs. FerretDB 1.x is not supported: it runs such a write as a
read followed by an update by `_id` (FerretDB issue #3040), so two writers of one version can both succeed and one
change is lost (the contract suite's race test fails there). Measured on one machine: 4 processes x 200 increments
ended at 800 on FerretDB 2.7, at 339 on FerretDB 1.24.

Only single-document writes, compound and unique indexes, `find` with equality, `$gt`/`$lt`/`$ne`/`$or`, sort and
limit are used: no transactions (FerretDB 2 has none), change streams, `$lookup`/`$facet`, TTL, partial or text
indexes.

The fields a collection may be queried on are its declared indexes, read back from the server (`listIndexes`), so
every replica (and every restart) agrees on them whichever process declared them. Paging is by keyset: the cursor
holds the sort values and `_id` of the last document, and the next page is what sorts strictly after it, in
MongoDB's order (null and missing values first when ascending, last when descending).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict
from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import (
    CollectionInvalid,
    ConnectionFailure,
    OperationFailure,
    PyMongoError,
)
from pymongo.errors import (
    DuplicateKeyError as MongoDuplicateKeyError,
)

from rexvet_common.adapters.document_rules import (
    FIELD_PATTERN,
    check_collection,
    check_page_limit,
    check_queryable,
    check_storable,
    decode_cursor,
    encode_cursor,
)
from rexvet_common.backend_registry import Backend, BackendSettings, BuildContext
from rexvet_common.errors import (
    BackendUnavailableError,
    DocumentNotFoundError,
    DocumentStoreError,
    DuplicateKeyError,
    InvalidQueryError,
    VersionConflictError,
)
from rexvet_common.ports.document_store import Document, Index, Page, Scalar, SortOrder

T = TypeVar("T")
VERSION = "_version"
DUPLICATE_KEY = 11000
NAMESPACE_EXISTS = 48  # createCollection on an existing collection
INDEX_OPTIONS_CONFLICT = (85, 86)  # an index of the same name or keys exists with other options


class MongoDocumentStore:
    def __init__(
        self,
        url: str,
        *,
        database: str,
        server_selection_timeout_ms: int = 10_000,
        client: AsyncMongoClient[Document] | None = None,
    ) -> None:
        # tz_aware and the default document class keep values as plain JSON types; documents hold JSON only.
        self._client: AsyncMongoClient[Document] = client or AsyncMongoClient(
            url,
            serverSelectionTimeoutMS=server_selection_timeout_ms,
            appname="rexvet",
            retryWrites=True,
        )
        self._db = self._client[database]
        self._indexed: dict[str, set[str]] = {}  # collection -> queryable fields, as far as this process knows

    def _collection(self, name: str) -> AsyncCollection[Document]:
        return self._db[check_collection(name)]

    async def ensure_collection(self, name: str, indexes: Sequence[Index] = ()) -> None:
        collection = self._collection(name)
        for index in indexes:
            if not index.fields:
                raise InvalidQueryError(f"an index of collection {name!r} needs at least one field")
            for field in index.fields:
                _check_field(field)
        async with _translated(f"ensure collection {name!r}"):
            await self._create_collection(name)
            for index in indexes:
                try:
                    await collection.create_index(
                        [(field, ASCENDING) for field in index.fields],
                        name=_index_name(index),
                        unique=index.unique,
                    )
                except MongoDuplicateKeyError as exc:
                    raise DuplicateKeyError(
                        f"cannot create a unique index on {name!r}: existing documents repeat a value ({exc})"
                    ) from exc
                except OperationFailure as exc:
                    if exc.code not in INDEX_OPTIONS_CONFLICT:
                        raise
                    raise DocumentStoreError(
                        f"collection {name!r} already has an index on {list(index.fields)} with other options"
                    ) from exc
        await self._load_indexes(name)

    async def _create_collection(self, name: str) -> None:
        try:
            await self._db.create_collection(name)
        except CollectionInvalid:
            pass  # it exists
        except OperationFailure as exc:
            if exc.code != NAMESPACE_EXISTS:  # another replica created it a moment ago
                raise

    async def _load_indexes(self, name: str) -> set[str]:
        fields: set[str] = set()
        async with _translated(f"list the indexes of {name!r}"):
            cursor = await self._collection(name).list_indexes()
            async for spec in cursor:
                fields.update(str(field) for field in spec["key"])
        self._indexed[name] = fields
        return fields

    async def _check_queryable(self, name: str, fields: Sequence[str]) -> None:
        for field in fields:
            _check_field(field)
        known = self._indexed.get(name)
        if known is None or any(f != "_id" and f not in known for f in fields):
            known = await self._load_indexes(name)  # another replica may have declared the index since
        check_queryable(name, fields, known)

    async def insert(self, collection: str, document: Document) -> Document:
        doc_id, body = _split(document)
        stored = {"_id": doc_id, **body, VERSION: 1}
        async with _translated(f"insert into {collection!r}"):
            try:
                await self._collection(collection).insert_one(dict(stored))
            except OperationFailure as exc:
                if not is_duplicate_key(exc):
                    raise
                raise DuplicateKeyError(f"{collection}: document {doc_id!r} repeats a unique value") from exc
        return stored

    async def get(self, collection: str, doc_id: str) -> Document | None:
        async with _translated(f"read from {collection!r}"):
            found = await self._collection(collection).find_one({"_id": doc_id})
        return None if found is None else _public(found)

    async def replace(self, collection: str, document: Document) -> Document:
        version = document.get(VERSION)
        if not isinstance(version, int) or isinstance(version, bool):
            raise DocumentStoreError("replace needs the document's integer '_version' as read (compare-and-swap)")
        doc_id, body = _split(document)
        stored = {"_id": doc_id, **body, VERSION: version + 1}
        async with _translated(f"replace in {collection!r}"):
            try:
                result = await self._collection(collection).replace_one({"_id": doc_id, VERSION: version}, dict(stored))
            except OperationFailure as exc:
                if not is_duplicate_key(exc):
                    raise
                raise DuplicateKeyError(f"{collection}: document {doc_id!r} would repeat a unique value") from exc
            if result.matched_count == 0:
                await self._raise_conflict(collection, doc_id, version)
        return stored

    async def _raise_conflict(self, collection: str, doc_id: str, version: int) -> NoReturn:
        """Why a compare-and-swap of `version` failed, read back from the document."""
        current = await self._collection(collection).find_one({"_id": doc_id}, projection={VERSION: True})
        if current is None:
            raise DocumentNotFoundError(f"{collection}: document {doc_id!r} does not exist (deleted?)")
        if current.get(VERSION) == version:
            raise VersionConflictError(
                f"{collection}: another writer is changing version {version} of document {doc_id!r}; "
                "re-read and apply again"
            )
        raise VersionConflictError(
            f"{collection}: document {doc_id!r} is at version {current.get(VERSION)}, not {version}; "
            "re-read and apply again"
        )

    async def delete(self, collection: str, doc_id: str, *, expected_version: int | None = None) -> bool:
        target = self._collection(collection)
        if expected_version is None:
            async with _translated(f"delete from {collection!r}"):
                result = await target.delete_one({"_id": doc_id})
            return bool(result.deleted_count)
        async with _translated(f"delete from {collection!r}"):
            result = await target.delete_one({"_id": doc_id, VERSION: expected_version})
            if result.deleted_count:
                return True
            current = await target.find_one({"_id": doc_id}, projection={VERSION: True})
        if current is None:
            return False
        raise VersionConflictError(
            f"{collection}: document {doc_id!r} is at version {current.get(VERSION)}, not {expected_version}"
        )

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
        order = [(f, SortOrder(o)) for f, o in sort]
        after = decode_cursor(cursor, order) if cursor is not None else None
        conditions = dict(where or {})
        await self._check_queryable(collection, [*conditions, *(f for f, _ in order)])
        query = _equality_filter(conditions)
        if after is not None:
            query = {"$and": [query, _after_cursor(order, after)]} if query else _after_cursor(order, after)
        mongo_sort = [(f, int(o)) for f, o in order if f != "_id"] + [("_id", ASCENDING)]
        async with _translated(f"query {collection!r}"):
            rows = await self._collection(collection).find(query, sort=mongo_sort, limit=limit + 1).to_list()
        items = [_public(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = encode_cursor(order, [*(_value_at(last, f) for f, _ in order), last["_id"]])
        return Page(items=items, next_cursor=next_cursor)

    async def count(self, collection: str, where: Mapping[str, Scalar] | None = None) -> int:
        conditions = dict(where or {})
        await self._check_queryable(collection, list(conditions))
        async with _translated(f"count {collection!r}"):
            return int(await self._collection(collection).count_documents(_equality_filter(conditions)))

    async def ping(self) -> None:
        async with _translated("ping"):
            await self._client.admin.command("ping")

    async def close(self) -> None:
        await self._client.close()


@contextlib.asynccontextmanager
async def _translated(action: str) -> AsyncIterator[None]:
    """Driver errors become the platform's: unreachable is `BackendUnavailableError`, anything else a store error."""
    try:
        yield
    except ConnectionFailure as exc:
        raise BackendUnavailableError(f"the MongoDB-wire database cannot be reached to {action}: {exc}") from exc
    except OperationFailure as exc:
        if storage_unreachable(exc):
            raise BackendUnavailableError(f"the database's storage cannot be reached to {action}: {exc}") from exc
        raise DocumentStoreError(f"the database refused to {action}: {exc}") from exc
    except PyMongoError as exc:
        raise DocumentStoreError(f"the database refused to {action}: {exc}") from exc


INTERNAL_ERROR = 1
# What FerretDB 2 says when the PostgreSQL under it is down, restarting or failing over: every command fails at once
# with InternalError and its connection pool's error, or PostgreSQL's class 57P "operator intervention" message,
# sometimes with its SQLSTATE and sometimes as the bare text ("terminating connection due to administrator command"
# is 57P01, which FerretDB 2.7 answered 32 times in 4 restarts of a busy store, and which the services answered
# with a 500 before it was listed here; tests/integration/test_ferretdb_postgres_restart.py).
STORAGE_UNREACHABLE_MARKERS = (
    "failed to connect to",
    "connection refused",
    "connection reset by peer",
    "broken pipe",
    "SQLSTATE 57P",
    "terminating connection",  # 57P01 administrator command, 57P02 crash of another process, 57P05 idle session
    "the database system is",  # 57P03: starting up, shutting down, in recovery mode
    "conn closed",
    "unexpected EOF",
)


def storage_unreachable(exc: OperationFailure) -> bool:
    """Whether the server could not reach its own storage: an outage to wait out (the caller retries, a consumer
    keeps the event), not a refusal of this request."""
    message = str((exc.details or {}).get("errmsg", exc))
    return exc.code == INTERNAL_ERROR and any(marker in message for marker in STORAGE_UNREACHABLE_MARKERS)


def is_duplicate_key(exc: OperationFailure) -> bool:
    """Whether the server refused a write for a repeated key (MongoDB and FerretDB 2 both answer code 11000)."""
    return isinstance(exc, MongoDuplicateKeyError) or exc.code == DUPLICATE_KEY


def _check_field(field: str) -> None:
    if field not in ("_id", VERSION) and not FIELD_PATTERN.match(field):
        raise InvalidQueryError(f"field {field!r} must be a dotted path of letters, digits and '_'")


def _split(document: Document) -> tuple[str, Document]:
    doc_id = document.get("_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise DocumentStoreError("a document needs a non-empty string '_id'")
    body = {k: v for k, v in document.items() if k not in ("_id", VERSION)}
    # The same check as the embedded store, so a document that works on one engine works on the other.
    check_storable(doc_id, body)
    return doc_id, body


def _public(row: Mapping[str, Any]) -> Document:
    return dict(row)


def _index_name(index: Index) -> str:
    digest = hashlib.sha1(json.dumps([list(index.fields), index.unique]).encode()).hexdigest()[:12]
    return f"ix_{digest}"


def _equality_filter(where: Mapping[str, Scalar]) -> dict[str, Any]:
    query: dict[str, Any] = {}
    for field, value in where.items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise InvalidQueryError(f"filter on {field!r} must be a string, number, boolean or None")
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidQueryError(f"filter on {field!r} must be a finite number")
        query[field] = value  # None matches null and missing, as in the embedded store
    return query


def _after_cursor(sort: Sequence[tuple[str, SortOrder]], values: Sequence[Scalar]) -> dict[str, Any]:
    """Documents strictly after the cursor's in `sort..., _id` order, null and missing sorting lowest."""
    keys = [*((f, o) for f, o in sort), ("_id", SortOrder.ASCENDING)]
    alternatives: list[dict[str, Any]] = []
    for i, (field, order) in enumerate(keys):
        value = values[i]
        clause: dict[str, Any] = {keys[j][0]: values[j] for j in range(i)}  # ties on every earlier key
        if order == SortOrder.ASCENDING:
            clause_on_field: dict[str, Any] = {field: {"$ne": None}} if value is None else {field: {"$gt": value}}
        else:
            if value is None:
                continue  # nothing sorts after null when descending
            clause_on_field = {"$or": [{field: {"$lt": value}}, {field: None}]}
        alternatives.append({"$and": [clause, clause_on_field]} if clause else clause_on_field)
    return {"$or": alternatives}


def _value_at(document: Mapping[str, Any], path: str) -> Scalar:
    value: Any = document
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value if value is None or isinstance(value, str | int | float | bool) else None


class MongoSettings(BackendSettings):
    """REXVET_DOCUMENTS=mongo: a MongoDB-wire database (FerretDB 2 on PostgreSQL with DocumentDB, or MongoDB)."""

    model_config = SettingsConfigDict(env_prefix="REXVET_MONGO_", extra="ignore")

    url: SecretStr = Field(description="MongoDB-wire URL (secret: may hold a password)")
    database_prefix: str = Field("rexvet_", description="Each service's database is <prefix><service>")


def database_name(service_name: str, settings: MongoSettings) -> str:
    return settings.database_prefix + service_name


def _build(context: BuildContext, settings: MongoSettings) -> MongoDocumentStore:
    return MongoDocumentStore(
        settings.url.get_secret_value(), database=database_name(context.service.service_name, settings)
    )


# What the configuration reference says of it.
SUMMARY = "a MongoDB-wire database: FerretDB 2 on PostgreSQL with DocumentDB (tested), or MongoDB"
BACKEND = Backend("documents", "mongo", MongoSettings, _build, summary=SUMMARY)
