"""c_nonce values from the nonce endpoint (OpenID4VCI 1.0 section 7): short-lived and single-use.

A nonce is its expiry and 16 random bytes, with an HMAC under a key derived from the issuer's key-encryption key,
so the unauthenticated nonce endpoint writes nothing (a flood of requests cannot fill the store) and every replica
checks every other's nonces. Single use is enforced where it costs a write only for a caller who already holds an
access token: a credential request consumes its proof's nonce by inserting its digest (a second use collides).

A consumed nonce's record is needed only while the nonce itself would still be accepted, so each consumption also
deletes the oldest records whose nonce expired more than `PURGE_GRACE` ago (the grace covers clocks of replicas
that run behind), up to `PURGE_BATCH`: more than the one record it adds, so a backlog drains, the collection stays
about as large as the consumptions of one nonce lifetime plus the grace, and no background job is needed. The work
per request is bounded (one indexed read of `PURGE_BATCH` records, and their deletes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import UTC, datetime, timedelta

from rexvet_common.errors import DuplicateKeyError
from rexvet_common.ports.document_store import DocumentStore, Index, SortOrder
from rexvet_issuer.wallet.domain.offer import digest

COLLECTION = "wallet_nonces_used"
KEY_LABEL = b"rexvet wallet c_nonce v1"
PURGE_GRACE = timedelta(minutes=5)
PURGE_BATCH = 4


def nonce_key(key_encryption_key: bytes) -> bytes:
    """The nonces' MAC key: derived, so the KEK itself never signs anything."""
    return hmac.new(key_encryption_key, KEY_LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


class Nonces:
    def __init__(self, documents: DocumentStore, ttl: timedelta, key: bytes) -> None:
        self.documents = documents
        self.ttl = ttl
        self._key = key

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, [Index(("expires_at",))])

    def _mac(self, institution: str, body: bytes) -> bytes:
        return hmac.new(self._key, institution.encode() + b"\x00" + body, hashlib.sha256).digest()

    async def issue(self, institution: str) -> str:
        expires = int((datetime.now(UTC) + self.ttl).timestamp())
        body = struct.pack(">Q", expires) + secrets.token_bytes(16)
        return f"{_b64(body)}.{_b64(self._mac(institution, body))}"

    async def consume(self, institution: str, nonce: str) -> bool:
        """True once for a nonce this institution's endpoint gave out and that has not expired."""
        body_text, _, mac_text = nonce.partition(".")
        try:
            body = base64.urlsafe_b64decode(body_text + "=" * (-len(body_text) % 4))
            mac = base64.urlsafe_b64decode(mac_text + "=" * (-len(mac_text) % 4))
        except ValueError:
            return False
        if len(body) != 24 or not hmac.compare_digest(mac, self._mac(institution, body)):
            return False
        (expires,) = struct.unpack(">Q", body[:8])
        if datetime.now(UTC).timestamp() >= expires:
            return False
        try:
            await self.documents.insert(COLLECTION, {"_id": digest(nonce), "expires_at": expires})
        except DuplicateKeyError:
            return False  # used before
        await self.purge_expired()
        return True

    async def purge_expired(self) -> int:
        """Delete up to `PURGE_BATCH` records of nonces expired more than `PURGE_GRACE` ago; how many went."""
        horizon = (datetime.now(UTC) - PURGE_GRACE).timestamp()
        oldest = await self.documents.find(COLLECTION, sort=[("expires_at", SortOrder.ASCENDING)], limit=PURGE_BATCH)
        deleted = 0
        for record in oldest.items:
            if record["expires_at"] >= horizon:
                break
            if await self.documents.delete(COLLECTION, record["_id"]):  # False: another replica came first
                deleted += 1
        return deleted
