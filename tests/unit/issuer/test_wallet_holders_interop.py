"""Badges put into wallets by holders nobody here wrote, against the issuer served by uvicorn, and the credentials
they receive checked by the independent verifiers (DCC's verifier-core, Digital Bazaar's vc, openbadgeslib) with stock
resolvers, before and after the badge is revoked.

- OpenID4VCI 1.0: tests/interop/js/oid4vci_holder.mjs hands the offer link a staff member gets to the OpenWallet
  Foundation's oid4vc-ts client (`@openid4vc/openid4vci` 0.4.6, Animo's, the library under Credo), which runs the
  whole pre-authorized code flow (offer by reference, metadata at the well-known names, token with tx_code, nonce,
  key proof of a did:key, credential request); the script gives it only the key, the signing callback and fetch.
- Learner Credential Wallet: tests/interop/js/lcw_holder.mjs follows the LCW deep link through DCC's VC-API
  exchange (POST {}, the DIDAuth presentation request, a DIDAuth presentation signed by a did:key with Digital
  Bazaar's vc and eddsa-rdfc-2022).
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import pytest
from openbadgeslib.ob3.verifier import OB3VerificationError

from rexvet_credentials.document_loader import load_pinned_context, pinned_context_urls
from rexvet_credentials.jwt.jwk import public_jwk
from rexvet_credentials.multikey import decode_public_multikey
from rexvet_credentials.report import Outcome

from .test_interop_stock_resolvers import (
    JS_DIR,
    LiveIssuer,
    core_passed,
    field_verifiers,
    issued,
    live,  # noqa: F401  (the fixture)
    openbadgeslib_verifies,
    rexvet_verifies,
)

pytestmark = pytest.mark.interop


async def run_holder(script: str, request: dict[str, Any]) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        "node",
        script,
        cwd=JS_DIR,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(json.dumps(request).encode()), 120)
    assert process.returncode == 0, (out + err).decode()
    answer: dict[str, Any] = json.loads(out)
    return answer


async def offer_of(server: LiveIssuer, credential_uuid: str, *, tx_code: bool = False) -> dict[str, Any]:
    response = await server.issuer.client.post(
        f"/v1/me/credentials/{credential_uuid}/wallet-offer",
        json={"tx_code": tx_code},
        headers=server.issuer.auth("s-1"),
    )
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


@pytest.mark.parametrize("tx_code", [False, True])
async def test_an_oid4vci_holder_receives_the_badge_and_independent_verifiers_verify_it(
    live: LiveIssuer,  # noqa: F811
    tx_code: bool,
) -> None:
    found = await issued(live)
    made = await offer_of(live, found["uuid"], tx_code=tx_code)
    assert made["credential_offer_uri"].startswith(f"{live.base_url}/v1/issuers/omnia/")
    answer = await run_holder(
        "oid4vci_holder.mjs",
        {"offerLink": made["offer_link"], "configuration": "OpenBadgeCredential_ldp_vc", "txCode": made["tx_code"]},
    )
    assert answer["version"] == "V1", answer  # the library reads the metadata as OpenID4VCI 1.0, not a draft
    assert answer["steps"] == flow(live, made), answer["steps"]
    copy = answer["credential"]
    assert copy["credentialSubject"]["id"] == answer["holder"]
    assert answer["holder"].startswith("did:key:z6Mk")
    verified = await field_verifiers(copy)
    assert core_passed(verified["verifierCore"]), verified["verifierCore"]
    assert verified["digitalBazaar"]["verified"] is True, verified["digitalBazaar"]
    await openbadgeslib_verifies(copy)
    assert (await rexvet_verifies(copy)).outcome is Outcome.VERIFIED
    await revoked_for_every_verifier(live, found["uuid"], copy)


async def revoked_for_every_verifier(server: LiveIssuer, credential_uuid: str, copy: dict[str, Any]) -> None:
    """Revoking the badge revokes the wallet's copy (it shares the badge's status entry), as each verifier sees it."""
    admin = server.issuer.auth("a-1", "institution-admin")
    revoke = await server.issuer.client.post(f"/v1/credentials/{credential_uuid}/revoke", headers=admin)
    assert revoke.status_code == 200, revoke.text
    revoked = await field_verifiers(copy)
    steps = {step["id"]: step["valid"] for step in revoked["verifierCore"]["log"]}
    assert steps["valid_signature"] is True and steps["revocation_status"] is False, revoked
    assert revoked["digitalBazaar"]["statuses"] == [{"purpose": "revocation", "status": True}]
    with pytest.raises(OB3VerificationError, match=r"status 'revocation' is set"):
        await openbadgeslib_verifies(copy)
    assert (await rexvet_verifies(copy)).check("status").code == "status_revoked"


def flow(server: LiveIssuer, made: dict[str, Any]) -> list[dict[str, Any]]:
    """The requests of the pre-authorized code flow, each answered at the first address the client tries: the
    well-known names inserted before the issuer's path (OpenID4VCI 1.0 section 12.2.2, RFC 8414 section 3)."""
    issuer = f"{server.base_url}/v1/issuers/omnia"
    well_known = f"{server.base_url}/.well-known"
    return [
        {"method": "GET", "url": made["credential_offer_uri"], "status": 200},
        {"method": "GET", "url": f"{well_known}/openid-credential-issuer/v1/issuers/omnia", "status": 200},
        {"method": "GET", "url": f"{well_known}/oauth-authorization-server/v1/issuers/omnia", "status": 200},
        {"method": "POST", "url": f"{issuer}/oid4vci/token", "status": 200},
        {"method": "POST", "url": f"{issuer}/oid4vci/nonce", "status": 200},
        {"method": "POST", "url": f"{issuer}/oid4vci/credential", "status": 200},
    ]


async def test_the_holder_is_refused_a_second_time_with_the_spent_offer(live: LiveIssuer) -> None:  # noqa: F811
    found = await issued(live)
    made = await offer_of(live, found["uuid"])
    first = await run_holder("oid4vci_holder.mjs", {"offerLink": made["offer_link"]})
    assert "credential" in first
    second = await run_holder_failing("oid4vci_holder.mjs", {"offerLink": made["offer_link"]})
    assert second["steps"] == [{"method": "GET", "url": made["credential_offer_uri"], "status": 404}], second


@pytest.mark.parametrize(
    ("change", "code", "refused_at"),
    [
        ({"txCode": "000000"}, "invalid_grant", "token"),
        ({"nonce": "a-nonce-the-issuer-never-gave"}, "invalid_nonce", "credential"),
        ({"audience": "https://another-issuer.example"}, "invalid_proof", "credential"),
    ],
)
async def test_the_library_reads_the_error_the_specification_names(
    live: LiveIssuer,  # noqa: F811
    change: dict[str, str],
    code: str,
    refused_at: str,
) -> None:
    """The refusals are answers the wallet's library understands: an OAuth error response in JSON (RFC 6749 section
    5.2, OpenID4VCI 1.0 section 8.3.1.2), so a wallet can tell a stale nonce (fetch a new one) from a bad proof."""
    found = await issued(live)
    made = await offer_of(live, found["uuid"], tx_code=True)
    request = {"offerLink": made["offer_link"], "txCode": made["tx_code"], **change}
    refused = await run_holder_failing("oid4vci_holder.mjs", request)
    assert refused["code"] == code, refused
    last = refused["steps"][-1]
    assert (last["url"].rsplit("/", 1)[1], last["status"]) == (refused_at, 400), refused


def contexts() -> dict[str, Any]:
    return {url: load_pinned_context(url) for url in pinned_context_urls()}


async def test_the_lcw_exchange_gives_the_badge_to_the_did_that_answered_the_didauth_request(
    live: LiveIssuer,  # noqa: F811
) -> None:
    found = await issued(live)
    made = await offer_of(live, found["uuid"])
    assert made["lcw_link"].startswith("https://lcw.app/request.html?request=")
    assert made["dcc_request_link"].startswith("dccrequest://request?request=")
    answer = await run_holder("lcw_holder.mjs", {"deepLink": made["lcw_link"], "documents": contexts()})
    copy = answer["credential"]
    assert copy["credentialSubject"]["id"] == answer["holder"]
    assert [step["name"] for step in answer["steps"]] == ["start", "didauth"]
    verified = await field_verifiers(copy)
    assert core_passed(verified["verifierCore"]), verified["verifierCore"]
    assert verified["digitalBazaar"]["verified"] is True, verified["digitalBazaar"]
    await openbadgeslib_verifies(copy)
    assert (await rexvet_verifies(copy)).outcome is Outcome.VERIFIED

    listed = await live.issuer.client.get("/v1/me/wallet-issuances", headers=live.issuer.auth("s-1"))
    [record] = listed.json()["items"]
    assert (record["channel"], record["holder_did"]) == ("vc-api-exchange", answer["holder"])

    # spent: the same link gives nothing more, whether by the exchange or by OpenID4VCI
    again = await run_holder_failing("lcw_holder.mjs", {"deepLink": made["lcw_link"], "documents": contexts()})
    assert again["steps"] == [{"name": "start", "url": made["exchange_url"], "status": 404}]
    await revoked_for_every_verifier(live, found["uuid"], copy)


async def test_a_didauth_for_another_challenge_is_refused(live: LiveIssuer) -> None:  # noqa: F811
    found = await issued(live)
    made = await offer_of(live, found["uuid"])
    request = {"deepLink": made["lcw_link"], "documents": contexts(), "challenge": "another-exchanges-challenge"}
    refused = await run_holder_failing("lcw_holder.mjs", request)
    assert refused["steps"][-1]["status"] == 400
    assert "challenge" in refused["body"]["detail"]


async def run_holder_failing(script: str, request: dict[str, Any]) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        "node", script, cwd=JS_DIR, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(json.dumps(request).encode()), 120)
    assert process.returncode == 3, out.decode()
    answer: dict[str, Any] = json.loads(out)
    return answer


async def test_the_jwt_vc_json_copy_verifies_with_jose_against_the_did_document(live: LiveIssuer) -> None:  # noqa: F811
    found = await issued(live)
    made = await offer_of(live, found["uuid"])
    request = {"offerLink": made["offer_link"], "configuration": "OpenBadgeCredential_jwt_vc_json"}
    answer = await run_holder("oid4vci_holder.mjs", request)
    token = answer["credential"]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    did_document = (await live.issuer.client.get("/v1/issuers/omnia/did.json")).json()
    [method] = [m for m in did_document["verificationMethod"] if m["id"] == header["kid"]]
    key = public_jwk(decode_public_multikey(method["publicKeyMultibase"]))
    verified = await run_holder("interop.mjs", {"op": "jwt-verify", "token": token, "publicJwk": key, "alg": "EdDSA"})
    assert verified["verified"] is True, verified
    assert verified["payload"]["credentialSubject"]["id"] == answer["holder"]
    assert verified["payload"]["iss"] == live.did
