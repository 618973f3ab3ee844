"""Issuer records, one per institution: Profile, keys (sealed), and the `issuer.profile.published` events.

A record is created on first need (the first credential, or an admin's profile update) with one fresh key. Each
creation, profile change and key rotation stores its `issuer.profile.published` event in the same write (outbox).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rexvet_common.errors import ConfigurationError, DocumentNotFoundError, DuplicateKeyError, VersionConflictError
from rexvet_common.events.catalogue import ISSUER_PROFILE_PUBLISHED, IssuerProfilePublished
from rexvet_common.events.envelope import partition_key
from rexvet_common.messaging.outbox import OUTBOX_INDEX
from rexvet_common.ports.document_store import Document, DocumentStore
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_ed25519_public
from rexvet_issuer.adapters.key_vault import KeyDecryptionError, KeyVault
from rexvet_issuer.application.events import ISSUER_EVENTS
from rexvet_issuer.domain.profile import Issuer, IssuerKey, check_tenant, clean_details, key_id, profile_url

COLLECTION = "issuers"
INDEXES = (OUTBOX_INDEX,)
MAX_CAS_ATTEMPTS = 20
# Issuer events concern no staff member; they share one key per institution so they stay in order.
PROFILE_PARTITION = "issuer-profile"


class IssuerRegistry:
    def __init__(self, documents: DocumentStore, vault: KeyVault, *, base_url: str) -> None:
        self.documents = documents
        self.vault = vault
        self.base_url = base_url
        self._private_keys: dict[str, Ed25519PrivateKey] = {}  # decrypted once per process, by stored key id

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def find(self, tenant: str) -> Issuer | None:
        document = await self.documents.get(COLLECTION, tenant)
        return issuer_from(document) if document is not None else None

    async def ensure(self, tenant: str) -> Issuer:
        """The institution's issuer, created with a first key when it has none yet."""
        found = await self.find(check_tenant(tenant))
        if found is not None:
            return found
        issuer_id = profile_url(self.base_url, tenant)
        issuer = Issuer(tenant=tenant, id=issuer_id, name=tenant, keys=(self._new_key(tenant, issuer_id),))
        # created concurrently (another consumer or request): use that one
        with contextlib.suppress(DuplicateKeyError):
            await self.documents.insert(COLLECTION, self._published({"_id": tenant}, issuer, "created"))
        stored = await self.find(tenant)
        assert stored is not None
        return stored

    async def update_profile(
        self, tenant: str, name: str, fields: dict[str, Any], *, linkedin_organization_id: str | None = None
    ) -> Issuer:
        await self.ensure(tenant)

        def change(current: Issuer) -> Issuer | None:
            updated = Issuer(
                tenant, current.id, name, clean_details(fields), current.keys, linkedin_organization_id or None
            )
            return None if updated == current else updated

        return await self._change(tenant, change, "profile-changed")

    async def rotate(self, tenant: str) -> Issuer:
        """A new active key; the previous ones stay listed, retired, so what they signed still verifies."""
        await self.ensure(tenant)
        now = _now()
        new_key: IssuerKey | None = None

        def change(current: Issuer) -> Issuer:
            nonlocal new_key
            new_key = new_key or self._new_key(tenant, current.id)
            kept = tuple(
                key if key.retired else IssuerKey(key.id, key.public_key_multibase, key.sealed, key.created, now)
                for key in current.keys
            )
            return dataclasses.replace(current, keys=(*kept, new_key))

        return await self._change(tenant, change, "key-rotated")

    async def reseal_all(self) -> int:
        """Re-seal every stored key under the current KEK (after a KEK rotation); how many issuers changed.

        Run at start: a key that no configured KEK opens stops the service here, with the institutions named,
        rather than dead-lettering their eligibilities later.
        """
        changed, unreadable, cursor = 0, [], None
        while True:
            page = await self.documents.find(COLLECTION, limit=100, cursor=cursor)
            for document in page.items:
                try:
                    changed += await self._reseal(document)
                except KeyDecryptionError:
                    unreadable.append(str(document["_id"]))
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        if unreadable:
            raise ConfigurationError(
                f"the signing keys of {', '.join(sorted(unreadable))} do not decrypt under "
                "REXVET_ISSUER_KEY_ENCRYPTION_KEY; give the key-encryption key they were sealed with in "
                "REXVET_ISSUER_PREVIOUS_KEY_ENCRYPTION_KEYS"
            )
        return changed

    async def _reseal(self, document: Document) -> int:
        for _ in range(MAX_CAS_ATTEMPTS):
            tenant = document["institution"]
            keys = [
                {**key, "sealed": self.vault.reseal(key["sealed"], tenant=tenant, key_id=key["id"])}
                for key in document.get("keys", [])
            ]
            if keys == document.get("keys", []):
                return 0
            try:
                await self.documents.replace(COLLECTION, {**document, "keys": keys})  # public keys unchanged: no event
                return 1
            except VersionConflictError:
                fresh = await self.documents.get(COLLECTION, document["_id"])
                if fresh is None:
                    return 0
                document = fresh
        raise VersionConflictError(f"the issuer record of {document['_id']!r} kept changing while being re-sealed")

    def signing_key(self, issuer: Issuer, *, under_profile_url: bool = False) -> Ed25519SigningKey:
        """The active key, named under the did:web (what stock resolvers dereference), or under the Profile URL
        (`under_profile_url`: only for the status lists that credentials issued before the did:web point to)."""
        key = issuer.active_key
        private = self._private_keys.get(key.id)
        if private is None:
            private = self.vault.open(key.sealed, tenant=issuer.tenant, key_id=key.id)  # sealed under its stored id
            self._private_keys[key.id] = private
        if under_profile_url:
            return Ed25519SigningKey.from_private_key(private, controller=issuer.id, key_id=key.id)
        return Ed25519SigningKey.from_private_key(private, controller=issuer.did, key_id=issuer.did_method_id(key))

    async def _change(self, tenant: str, change: Callable[[Issuer], Issuer | None], reason: str) -> Issuer:
        for _ in range(MAX_CAS_ATTEMPTS):
            document = await self.documents.get(COLLECTION, tenant)
            if document is None:
                raise LookupError(f"no issuer for {tenant}")
            current = issuer_from(document)
            updated = change(current)
            if updated is None:
                return current
            try:
                return issuer_from(await self.documents.replace(COLLECTION, self._published(document, updated, reason)))
            except (VersionConflictError, DocumentNotFoundError):
                continue
        raise VersionConflictError(f"the issuer record of {tenant!r} kept changing; try again")

    def _new_key(self, tenant: str, issuer_id: str) -> IssuerKey:
        private = Ed25519PrivateKey.generate()
        multibase = encode_ed25519_public(private.public_key())
        the_id = key_id(issuer_id, multibase)
        return IssuerKey(the_id, multibase, self.vault.seal(private, tenant=tenant, key_id=the_id), _now())

    def _published(self, document: Document, issuer: Issuer, reason: str) -> Document:
        record = {
            **document,
            "institution": issuer.tenant,
            "issuer_id": issuer.id,
            "name": issuer.name,
            "details": issuer.details,
            "keys": [key.as_record() for key in issuer.keys],
            "linkedin_organization_id": issuer.linkedin_organization_id,
            "published_at": _now(),
            "last_change": reason,
        }
        payload = IssuerProfilePublished(
            institution=issuer.tenant,
            issuer_id=issuer.did,
            profile=issuer.credential_profile(),
            verification_methods=issuer.method_ids(),
            also_known_as=[issuer.id],
        )
        key = partition_key(issuer.tenant, PROFILE_PARTITION)
        return ISSUER_EVENTS.announce(record, ISSUER_PROFILE_PUBLISHED, key=key, subject=issuer.did, payload=payload)


def issuer_from(document: Document) -> Issuer:
    return Issuer(
        tenant=document["institution"],
        id=document["issuer_id"],
        name=document["name"],
        details=dict(document.get("details") or {}),
        keys=tuple(IssuerKey.from_record(record) for record in document.get("keys", [])),
        linkedin_organization_id=document.get("linkedin_organization_id"),  # absent from older records
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()
