"""A minimal OpenID4VCI holder for the unit tests: a did:key, key proofs signed with joserfc, and the flow's
requests against the issuer app in-process. (The independent holder is tests/interop/js/oid4vci_holder.mjs.)"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws

from rexvet_credentials.jwt.keys import joserfc_key, jws_registry, quiet_eddsa_deprecation
from rexvet_credentials.multikey import encode_ed25519_public

from .harness import BASE_URL, Issuer, eligible

CREDENTIAL_ISSUER = f"{BASE_URL}/v1/issuers/omnia"
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


@dataclass
class Holder:
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def did(self) -> str:
        return f"did:key:{encode_ed25519_public(self.key.public_key())}"

    @property
    def kid(self) -> str:
        return f"{self.did}#{self.did.removeprefix('did:key:')}"

    def proof(
        self, nonce: str | None, *, aud: str = CREDENTIAL_ISSUER, typ: str = "openid4vci-proof+jwt", **extra: Any
    ) -> str:
        header = {"alg": "EdDSA", "typ": typ, "kid": self.kid}
        claims: dict[str, Any] = {"aud": aud, "iat": int(time.time()), **extra}
        if nonce is not None:
            claims["nonce"] = nonce
        with quiet_eddsa_deprecation():
            return jws.serialize_compact(
                header, json.dumps(claims), joserfc_key(self.key), registry=jws_registry("EdDSA")
            )


async def issued_badge(issuer: Issuer, staff_id: str = "s-1") -> dict[str, Any]:
    await issuer.publish_eligible(eligible(staff_id))
    await issuer.settled()
    page = await issuer.documents.find("credentials", {"institution": "omnia", "staff_id": staff_id})
    [record] = page.items
    return record


async def make_offer(issuer: Issuer, record: dict[str, Any], *, tx_code: bool = False) -> dict[str, Any]:
    response = await issuer.client.post(
        f"/v1/me/credentials/{record['credential_uuid']}/wallet-offer",
        json={"tx_code": tx_code},
        headers=issuer.auth(record["staff_id"]),
    )
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def fetch_offer(client: httpx.AsyncClient, offer_link: str) -> dict[str, Any]:
    assert offer_link.startswith("openid-credential-offer://?")
    [uri] = parse_qs(urlsplit(offer_link).query)["credential_offer_uri"]
    response = await client.get(uri)
    assert response.status_code == 200, response.text
    offer: dict[str, Any] = response.json()
    return offer


async def token(client: httpx.AsyncClient, code: str, tx_code: str | None = None) -> httpx.Response:
    form = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": code}
    if tx_code is not None:
        form["tx_code"] = tx_code
    return await client.post(f"{CREDENTIAL_ISSUER}/oid4vci/token", data=form)


async def nonce(client: httpx.AsyncClient) -> str:
    response = await client.post(f"{CREDENTIAL_ISSUER}/oid4vci/nonce")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    value: str = response.json()["c_nonce"]
    return value


async def credential(
    client: httpx.AsyncClient, access_token: str, proof: str, configuration: str = "OpenBadgeCredential_ldp_vc"
) -> httpx.Response:
    return await client.post(
        f"{CREDENTIAL_ISSUER}/oid4vci/credential",
        json={"credential_configuration_id": configuration, "proofs": {"jwt": [proof]}},
        headers={"Authorization": f"Bearer {access_token}"},
    )


async def access_token(issuer: Issuer, record: dict[str, Any]) -> str:
    offer = await fetch_offer(issuer.client, (await make_offer(issuer, record))["offer_link"])
    response = await token(issuer.client, offer["grants"][PRE_AUTHORIZED]["pre-authorized_code"])
    assert response.status_code == 200, response.text
    value: str = response.json()["access_token"]
    return value
