"""OAuth clients of institutions' systems (an HR system, for example): the secret is shown once, kept as a hash.

Secrets are hashed with scrypt (memory-hard, in the standard library) and a per-client salt; checking one takes tens
of milliseconds, so it runs in a thread rather than on the event loop.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rexvet_common.auth.principal import ROLES
from rexvet_common.ports.document_store import DocumentStore, Index

COLLECTION = "oauth_clients"
INDEXES = (Index(("tenant",)),)

SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LENGTH = 2**14, 8, 1, 32
SCOPE_PATTERN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")  # RFC 6749 scope-token characters
TENANT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class ClientRecord:
    client_id: str
    tenant: str
    roles: tuple[str, ...]
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class NewClient:
    record: ClientRecord
    secret: str  # shown once to whoever created the client, never stored


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_LENGTH)
    encode = base64.urlsafe_b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(
            secret.encode(), salt=base64.urlsafe_b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


def validate_client_request(tenant: str, roles: list[str], scopes: list[str]) -> None:
    if not TENANT_PATTERN.match(tenant):
        raise ValueError(f"tenant {tenant!r} must be 1-64 letters, digits, '.', '_' or '-'")
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise ValueError(f"roles must be one or more of {list(ROLES)}; unknown: {unknown}")
    bad = [scope for scope in scopes if not SCOPE_PATTERN.match(scope)]
    if bad or not scopes:
        raise ValueError(f"give at least one scope, each without spaces or quotes; invalid: {bad}")


class ClientRegistry:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def create(self, *, tenant: str, roles: list[str], scopes: list[str], name: str | None = None) -> NewClient:
        validate_client_request(tenant, roles, scopes)
        client_id = f"{tenant}.{secrets.token_hex(8)}"
        secret = secrets.token_urlsafe(32)
        document: dict[str, Any] = {
            "_id": client_id,
            "tenant": tenant,
            "roles": sorted(set(roles)),
            "scopes": sorted(set(scopes)),
            "name": name,
            "secret_hash": await asyncio.to_thread(hash_secret, secret),
            "created_at": datetime.now(UTC).isoformat(),
        }
        await self.documents.insert(COLLECTION, document)
        return NewClient(record=_record(document), secret=secret)

    async def authenticate(self, client_id: str, secret: str) -> ClientRecord | None:
        document = await self.documents.get(COLLECTION, client_id)
        if document is None:
            # Hash anyway so that an unknown client id takes as long as a wrong secret.
            await asyncio.to_thread(hash_secret, secret)
            return None
        if not await asyncio.to_thread(secret_matches, secret, str(document.get("secret_hash", ""))):
            return None
        return _record(document)


def _record(document: dict[str, Any]) -> ClientRecord:
    return ClientRecord(
        client_id=str(document["_id"]),
        tenant=str(document["tenant"]),
        roles=tuple(document.get("roles", ())),
        scopes=tuple(document.get("scopes", ())),
    )
