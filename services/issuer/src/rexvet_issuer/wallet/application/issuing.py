"""Issuing a badge to a wallet: the credential request's checks, the holder-bound copy, and its record.

Every copy handed to a wallet is recorded in `wallet_issuances` (who owns the badge, when, which holder DID and
key, by which channel and offer), listed to the owner and the institution's admins and managers. The copy shares
the original's status entry (domain/holder_copy.py), so the original's revoke and suspend endpoints govern it.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from rexvet_common.ports.document_store import Document, DocumentStore, Index, Page, Scalar, SortOrder
from rexvet_credentials.jwt.keys import JwtSigningKey
from rexvet_credentials.jwt.sign import sign_vc_jwt
from rexvet_credentials.sign import sign_credential
from rexvet_issuer.application.credentials import IssuedCredentials, allocation_of
from rexvet_issuer.application.issuers import IssuerRegistry
from rexvet_issuer.application.status_lists import StatusLists
from rexvet_issuer.wallet.application.nonces import Nonces
from rexvet_issuer.wallet.application.offers import WalletOffers
from rexvet_issuer.wallet.domain import errors
from rexvet_issuer.wallet.domain.errors import WalletRefusal
from rexvet_issuer.wallet.domain.holder_copy import bound_copy
from rexvet_issuer.wallet.domain.metadata import JWT_VC_JSON, LDP_VC
from rexvet_issuer.wallet.domain.proof import HolderKey, check_proof_jwt

COLLECTION = "wallet_issuances"
INDEXES = (Index(("institution", "issued_order")), Index(("institution", "staff_id", "issued_order")))
FORMATS = {LDP_VC: "ldp_vc", JWT_VC_JSON: "jwt_vc_json"}


@dataclass(frozen=True)
class WalletCopy:
    credential: dict[str, Any] | str  # a Data Integrity credential, or a VC-JWT
    record: Document


class WalletIssuance:
    def __init__(
        self,
        documents: DocumentStore,
        *,
        credentials: IssuedCredentials,
        issuers: IssuerRegistry,
        status_lists: StatusLists,
        offers: WalletOffers,
        nonces: Nonces,
        proof_max_age: timedelta,
    ) -> None:
        self.documents = documents
        self.credentials = credentials
        self.issuers = issuers
        self.status_lists = status_lists
        self.offers = offers
        self.nonces = nonces
        self.proof_max_age = proof_max_age

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def credential_request(self, institution: str, credential_issuer: str, token: str, body: Any) -> WalletCopy:
        """OpenID4VCI 1.0 section 8: the access token's offer, the request's shape, the key proof, the badge."""
        offer = await self.offers.by_token(institution, token)
        configuration_id, proofs = _request_parts(body, offer["configuration_ids"])
        checked = check_proof_jwt(
            proofs[0], audience=credential_issuer, now=datetime.now(UTC), max_age=self.proof_max_age
        )
        if not await self.nonces.consume(institution, checked.nonce):
            raise WalletRefusal(errors.INVALID_NONCE, "the proof's nonce is not a current c_nonce: fetch a new one")
        badge = await self.badge(institution, offer["credential_uuid"])
        copy = await self.sign_copy(badge, checked.holder, configuration_id)
        await self.offers.spend(offer, {"issued_at": copy.record["issued_at"], "wallet_copy": copy.record["_id"]})
        return await self._recorded(copy, channel="openid4vci", reference=offer["_id"])

    async def badge(self, institution: str, credential_uuid: str) -> Document:
        record = await self.credentials.by_uuid(credential_uuid)
        if record is None or record["institution"] != institution:
            raise WalletRefusal(errors.CREDENTIAL_REQUEST_DENIED, "the badge of this offer no longer exists")
        if record["revoked"] or record["suspended"]:
            state = "revoked" if record["revoked"] else "suspended"
            raise WalletRefusal(errors.CREDENTIAL_REQUEST_DENIED, f"the badge is {state}: it cannot be issued")
        return record

    async def sign_copy(self, badge: Document, holder: HolderKey, configuration_id: str) -> WalletCopy:
        issuer = await self.issuers.ensure(badge["institution"])
        now = datetime.now(UTC)
        copy_uuid = str(uuid.uuid4())
        unsigned = bound_copy(
            badge["credential"],
            holder_did=holder.did,
            credential_id=f"urn:uuid:{copy_uuid}",
            issuer_profile=issuer.credential_profile(),
            status=self.status_lists.entry(allocation_of(badge)),  # the list signed under the did:web
            now=now,
        )
        key = self.issuers.signing_key(issuer)
        signed: dict[str, Any] | str
        if configuration_id == JWT_VC_JSON:
            signed = sign_vc_jwt(unsigned, JwtSigningKey(key.private_key, key.verification_method, key.controller))
        else:
            # JSON-LD canonicalisation takes milliseconds of CPU: off the event loop.
            signed = await asyncio.to_thread(sign_credential, unsigned, key)
        record = {
            "_id": copy_uuid,
            "institution": badge["institution"],
            "staff_id": badge["staff_id"],
            "credential_uuid": badge["credential_uuid"],
            "original_credential_id": badge["credential_id"],
            "credential_id": unsigned["id"],
            "format": FORMATS[configuration_id],
            "holder_did": holder.did,
            "holder_key_id": holder.key_id,
            "holder_jwk": holder.public_jwk,
            "issued_at": now.replace(microsecond=0).isoformat(),
            "issued_order": now.isoformat(timespec="microseconds"),
            "credential": signed,
        }
        return WalletCopy(signed, record)

    async def _recorded(self, copy: WalletCopy, *, channel: str, reference: str) -> WalletCopy:
        stored = await self.documents.insert(COLLECTION, {**copy.record, "channel": channel, "reference": reference})
        return WalletCopy(copy.credential, stored)

    async def record_exchange_copy(self, copy: WalletCopy, exchange_id: str) -> WalletCopy:
        return await self._recorded(copy, channel="vc-api-exchange", reference=exchange_id)

    async def listed(self, institution: str, *, staff_id: str | None, limit: int, cursor: str | None) -> Page:
        where: dict[str, Scalar] = {"institution": institution}
        if staff_id is not None:
            where["staff_id"] = staff_id
        return await self.documents.find(
            COLLECTION, where, sort=[("issued_order", SortOrder.DESCENDING)], limit=limit, cursor=cursor
        )


def _request_parts(body: Any, offered: list[str]) -> tuple[str, list[Any]]:
    """The configuration asked for and its proofs (1.0 final: `credential_configuration_id` and `proofs.jwt`)."""
    if not isinstance(body, dict):
        raise WalletRefusal(errors.INVALID_CREDENTIAL_REQUEST, "the credential request is a JSON object")
    if "credential_identifier" in body:
        raise WalletRefusal(
            errors.UNKNOWN_CREDENTIAL_IDENTIFIER,
            "this issuer gives out no credential identifiers: send credential_configuration_id",
        )
    configuration_id = body.get("credential_configuration_id")
    if not isinstance(configuration_id, str):
        raise WalletRefusal(errors.INVALID_CREDENTIAL_REQUEST, "credential_configuration_id is required")
    if configuration_id not in offered:
        raise WalletRefusal(
            errors.UNKNOWN_CREDENTIAL_CONFIGURATION, f"{configuration_id!r} is not one of the offer's {offered}"
        )
    if "proof" in body:
        raise WalletRefusal(
            errors.INVALID_CREDENTIAL_REQUEST, '`proof` is not part of OpenID4VCI 1.0: send proofs = {"jwt": [...]}'
        )
    proofs = body.get("proofs")
    if not isinstance(proofs, dict) or not proofs:
        raise WalletRefusal(errors.INVALID_PROOF, 'proofs is required: {"jwt": ["<proof JWT>"]}')
    if set(proofs) != {"jwt"}:
        raise WalletRefusal(errors.INVALID_PROOF, "only the jwt proof type is supported (proof_types_supported)")
    jwts = proofs["jwt"]
    if not isinstance(jwts, list) or len(jwts) != 1:
        # No batch_credential_issuance in the metadata: exactly one key proof.
        raise WalletRefusal(errors.INVALID_PROOF, "proofs.jwt is an array of exactly one proof JWT")
    return configuration_id, jwts
