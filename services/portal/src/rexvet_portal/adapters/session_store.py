"""Sessions and pending sign-ins in the portal's document store (SQLite by default, MongoDB-wire in a deployment).

Documents are keyed by a SHA-256 of the session id or state, so the database alone lets nobody take a session over.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rexvet_common.errors import VersionConflictError
from rexvet_common.ports.document_store import DocumentStore
from rexvet_portal.domain.session import PendingSignIn, Person, Session, Tokens

SESSIONS = "portal_sessions"
PENDING = "portal_pending_signins"


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class DocumentSessionStore:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(SESSIONS)
        await self.documents.ensure_collection(PENDING)

    async def save(self, session: Session) -> None:
        document = _document(session)
        stored = await self.documents.get(SESSIONS, document["_id"])
        if stored is None:
            await self.documents.insert(SESSIONS, document)
            return
        try:
            await self.documents.replace(SESSIONS, document | {"_version": stored["_version"]})
        except VersionConflictError:
            # Two requests of one person at once: both carry the same person; the other write is as good.
            return

    async def get(self, session_id: str) -> Session | None:
        document = await self.documents.get(SESSIONS, _key(session_id))
        return _session(session_id, document) if document else None

    async def delete(self, session_id: str) -> None:
        await self.documents.delete(SESSIONS, _key(session_id))

    async def save_pending(self, pending: PendingSignIn) -> None:
        await self.documents.insert(
            PENDING,
            {
                "_id": _key(pending.state),
                "nonce": pending.nonce,
                "code_verifier": pending.code_verifier,
                "return_to": pending.return_to,
                "created_at": pending.created_at,
            },
        )

    async def take_pending(self, state: str) -> PendingSignIn | None:
        document = await self.documents.get(PENDING, _key(state))
        if document is None:
            return None
        if not await self.documents.delete(PENDING, document["_id"]):
            return None  # another request took it first
        return PendingSignIn(
            state=state,
            nonce=str(document["nonce"]),
            code_verifier=str(document["code_verifier"]),
            return_to=str(document["return_to"]),
            created_at=float(document["created_at"]),
        )


def _document(session: Session) -> dict[str, Any]:
    return {
        "_id": _key(session.id),
        "person": {
            "sub": session.person.sub,
            "tenant": session.person.tenant,
            "name": session.person.name,
            "roles": list(session.person.roles),
        },
        "tokens": {
            "access_token": session.tokens.access_token,
            "access_expires_at": session.tokens.access_expires_at,
            "refresh_token": session.tokens.refresh_token,
        },
        "csrf_token": session.csrf_token,
        "created_at": session.created_at,
        "last_seen_at": session.last_seen_at,
        "absolute_expiry": session.absolute_expiry,
        "idle_seconds": session.idle_seconds,
    }


def _session(session_id: str, document: dict[str, Any]) -> Session:
    person, tokens = document["person"], document["tokens"]
    return Session(
        id=session_id,
        person=Person(sub=person["sub"], tenant=person["tenant"], name=person["name"], roles=tuple(person["roles"])),
        tokens=Tokens(
            access_token=tokens["access_token"],
            access_expires_at=float(tokens["access_expires_at"]),
            refresh_token=tokens.get("refresh_token"),
        ),
        csrf_token=str(document["csrf_token"]),
        created_at=float(document["created_at"]),
        last_seen_at=float(document["last_seen_at"]),
        absolute_expiry=float(document["absolute_expiry"]),
        idle_seconds=int(document["idle_seconds"]),
    )
