"""OpenID4VCI 1.0 (final), pre-authorized code flow, against the issuer app: metadata, the offer, the token and
nonce endpoints, the credential endpoint, and each refusal under the error code the specification names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials import SystemClock
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.jwt.verify import verify_vc_jwt
from rexvet_credentials.report import Outcome

from .harness import BASE_URL, AppFetcher, Issuer, issuer_service
from .wallet_holder import (
    CREDENTIAL_ISSUER,
    PRE_AUTHORIZED,
    Holder,
    access_token,
    credential,
    fetch_offer,
    issued_badge,
    make_offer,
    nonce,
    token,
)


def error_of(response: Any, status: int = 400) -> str:
    """The OAuth error code of a refusal, which comes as application/json (RFC 6749 section 5.2, OpenID4VCI 1.0
    section 8.3.1.2) whatever else the body carries: wallets read no other media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json", response.headers
    error: str = response.json()["error"]
    return error


async def test_metadata_is_at_the_well_known_name_inserted_before_the_issuer_path(issuer: Issuer) -> None:
    await issued_badge(issuer)
    response = await issuer.client.get("/.well-known/openid-credential-issuer/v1/issuers/omnia")
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["credential_issuer"] == CREDENTIAL_ISSUER
    assert document["credential_endpoint"] == f"{CREDENTIAL_ISSUER}/oid4vci/credential"
    assert document["nonce_endpoint"] == f"{CREDENTIAL_ISSUER}/oid4vci/nonce"
    configurations = document["credential_configurations_supported"]
    assert {c["format"] for c in configurations.values()} == {"ldp_vc", "jwt_vc_json"}
    ldp = configurations["OpenBadgeCredential_ldp_vc"]
    assert ldp["credential_definition"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert ldp["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"]
    locales = {d["locale"] for d in ldp["credential_metadata"]["display"]}
    assert locales == {"en", "fi", "et", "it", "nl", "es"}
    server = await issuer.client.get("/.well-known/oauth-authorization-server/v1/issuers/omnia")
    assert server.json()["token_endpoint"] == f"{CREDENTIAL_ISSUER}/oid4vci/token"
    assert server.json()["grant_types_supported"] == [PRE_AUTHORIZED]
    missing = await issuer.client.get("/.well-known/openid-credential-issuer/v1/issuers/nobody")
    assert missing.status_code == 404


async def test_a_wallet_gets_the_badge_bound_to_its_did_and_it_verifies(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    made = await make_offer(issuer, record)
    offer = await fetch_offer(issuer.client, made["offer_link"])
    assert offer["credential_issuer"] == CREDENTIAL_ISSUER
    assert offer["credential_configuration_ids"] == made["credential_configuration_ids"]
    granted = await token(issuer.client, offer["grants"][PRE_AUTHORIZED]["pre-authorized_code"])
    assert granted.status_code == 200, granted.text
    assert granted.json()["token_type"] == "Bearer"
    holder = Holder()
    response = await credential(issuer.client, granted.json()["access_token"], holder.proof(await nonce(issuer.client)))
    assert response.status_code == 200, response.text
    [entry] = response.json()["credentials"]
    copy = entry["credential"]
    assert copy["credentialSubject"]["id"] == holder.did
    assert copy["credentialSubject"]["achievement"] == record["credential"]["credentialSubject"]["achievement"]
    assert copy["id"] != record["credential_id"]
    assert copy["credentialStatus"] == record["credential"]["credentialStatus"]
    assert (await issuer.verify(copy)).outcome is Outcome.VERIFIED

    mine = await issuer.client.get("/v1/me/wallet-issuances", headers=issuer.auth("s-1"))
    [seen] = mine.json()["items"]
    assert (seen["holder_did"], seen["holder_key_id"], seen["channel"]) == (holder.did, holder.kid, "openid4vci")
    assert seen["original_credential_id"] == record["credential_id"]
    admin = await issuer.client.get("/v1/wallet-issuances", headers=issuer.auth("a-1", "institution-admin"))
    assert [item["id"] for item in admin.json()["items"]] == [seen["id"]]
    other = await issuer.client.get("/v1/me/wallet-issuances", headers=issuer.auth("s-2"))
    assert other.json()["items"] == []

    # the copy is the same badge: revoking the original revokes it
    revoked = await issuer.client.post(
        f"/v1/credentials/{record['credential_uuid']}/revoke", headers=issuer.auth("a-1", "institution-admin")
    )
    assert revoked.status_code == 200, revoked.text
    report = await issuer.verify(copy)
    assert (report.outcome, report.check("status").code) == (Outcome.FAILED, "status_revoked")


async def test_the_jwt_vc_json_configuration_gives_a_vc_jwt_bound_to_the_holder(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    holder = Holder()
    the_token = await access_token(issuer, record)
    response = await credential(
        issuer.client, the_token, holder.proof(await nonce(issuer.client)), "OpenBadgeCredential_jwt_vc_json"
    )
    assert response.status_code == 200, response.text
    jwt = response.json()["credentials"][0]["credential"]
    assert isinstance(jwt, str) and jwt.count(".") == 2
    ports = network_ports(SystemClock(), fetcher=AppFetcher(issuer.client))
    report = await verify_vc_jwt(
        jwt, clock=SystemClock(), key_resolver=ports.key_resolver, status_checker=ports.status_checker
    )
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert report.credential_id is not None and report.credential_id != record["credential_id"]


async def test_an_expired_offer_is_refused_with_invalid_grant(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    made = await make_offer(issuer, record)
    offer = await fetch_offer(issuer.client, made["offer_link"])
    stored = await issuer.documents.get("wallet_offers", made["id"])
    assert stored is not None
    await issuer.documents.replace("wallet_offers", {**stored, "expires_at": "2020-01-01T00:00:00+00:00"})
    code = offer["grants"][PRE_AUTHORIZED]["pre-authorized_code"]
    assert error_of(await token(issuer.client, code)) == "invalid_grant"
    assert (await issuer.client.get(made["credential_offer_uri"])).status_code == 404


async def test_a_pre_authorized_code_is_single_use(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    offer = await fetch_offer(issuer.client, (await make_offer(issuer, record))["offer_link"])
    code = offer["grants"][PRE_AUTHORIZED]["pre-authorized_code"]
    assert (await token(issuer.client, code)).status_code == 200
    assert error_of(await token(issuer.client, code)) == "invalid_grant"
    assert error_of(await token(issuer.client, "not-a-code")) == "invalid_grant"


async def test_a_new_offer_replaces_the_open_one(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    first = await fetch_offer(issuer.client, (await make_offer(issuer, record))["offer_link"])
    await make_offer(issuer, record)
    assert error_of(await token(issuer.client, first["grants"][PRE_AUTHORIZED]["pre-authorized_code"])) == (
        "invalid_grant"
    )


async def test_the_tx_code_is_required_and_checked(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    made = await make_offer(issuer, record, tx_code=True)
    offer = await fetch_offer(issuer.client, made["offer_link"])
    grant = offer["grants"][PRE_AUTHORIZED]
    assert grant["tx_code"] == {"input_mode": "numeric", "length": 6, "description": grant["tx_code"]["description"]}
    assert error_of(await token(issuer.client, grant["pre-authorized_code"])) == "invalid_request"
    wrong = "000000" if made["tx_code"] != "000000" else "111111"
    assert error_of(await token(issuer.client, grant["pre-authorized_code"], wrong)) == "invalid_grant"
    assert (await token(issuer.client, grant["pre-authorized_code"], made["tx_code"])).status_code == 200


async def test_five_wrong_tx_codes_burn_the_offer(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    made = await make_offer(issuer, record, tx_code=True)
    code = (await fetch_offer(issuer.client, made["offer_link"]))["grants"][PRE_AUTHORIZED]["pre-authorized_code"]
    wrong = "000000" if made["tx_code"] != "000000" else "111111"
    for _ in range(5):
        assert error_of(await token(issuer.client, code, wrong)) == "invalid_grant"
    assert error_of(await token(issuer.client, code, made["tx_code"])) == "invalid_grant"


async def test_a_redeemed_offer_has_no_exchange_any_more(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    made = await make_offer(issuer, record)
    offer = await fetch_offer(issuer.client, made["offer_link"])
    assert (await token(issuer.client, offer["grants"][PRE_AUTHORIZED]["pre-authorized_code"])).status_code == 200
    assert (await issuer.client.post(made["exchange_url"], json={})).status_code == 404


async def test_a_proof_with_a_wrong_nonce_is_refused_with_invalid_nonce(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    the_token = await access_token(issuer, record)
    holder = Holder()
    assert error_of(await credential(issuer.client, the_token, holder.proof("made-up"))) == "invalid_nonce"
    used = await nonce(issuer.client)
    assert (await credential(issuer.client, the_token, holder.proof(used))).status_code == 200
    # the token is spent, and a replayed nonce would not be one anyway
    assert error_of(await credential(issuer.client, the_token, holder.proof(used)), 401) == "invalid_token"


async def test_a_consumed_nonce_cannot_be_replayed(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    holder = Holder()
    used = await nonce(issuer.client)
    first = await access_token(issuer, record)
    assert (await credential(issuer.client, first, holder.proof(used))).status_code == 200
    second = await access_token(issuer, record)
    assert error_of(await credential(issuer.client, second, holder.proof(used))) == "invalid_nonce"


async def test_records_of_consumed_nonces_are_purged_once_their_nonces_expired(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    now = int(datetime.now(UTC).timestamp())
    stale = {f"stale-{n}": now - 3600 for n in range(3)}  # consumed long ago: their nonces expired an hour ago
    recent = {"recent": now - 60}  # expired a minute ago: kept for replicas whose clocks run behind
    for name, expires_at in {**stale, **recent}.items():
        await issuer.documents.insert("wallet_nonces_used", {"_id": name, "expires_at": expires_at})
    holder = Holder()
    used = await nonce(issuer.client)
    assert (await credential(issuer.client, await access_token(issuer, record), holder.proof(used))).status_code == 200
    for name in stale:
        assert await issuer.documents.get("wallet_nonces_used", name) is None
    assert await issuer.documents.get("wallet_nonces_used", "recent") is not None
    assert await issuer.documents.count("wallet_nonces_used") == 2  # "recent" and the nonce just consumed
    again = await credential(issuer.client, await access_token(issuer, record), holder.proof(used))
    assert error_of(again) == "invalid_nonce"  # the purge leaves a live nonce's record: still single-use


async def test_nonces_are_stateless_until_used_and_expire(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    the_token = await access_token(issuer, record)
    holder = Holder()
    given = [await nonce(issuer.client) for _ in range(3)]
    assert await issuer.documents.count("wallet_nonces_used") == 0  # the open endpoint wrote nothing
    nonces = issuer.app.state.runtime.context.wallet.nonces
    nonces.ttl = timedelta(seconds=-1)  # what the endpoint gives out from now on has expired already
    expired = await nonce(issuer.client)
    nonces.ttl = timedelta(seconds=300)
    body, mac = given[0].split(".")
    forged = f"{body[:-2]}AA.{mac}"
    other_institution = await nonces.issue("other")
    for refused in (expired, forged, other_institution):
        assert error_of(await credential(issuer.client, the_token, holder.proof(refused))) == "invalid_nonce"
    assert (await credential(issuer.client, the_token, holder.proof(given[1]))).status_code == 200


async def test_proofs_with_a_wrong_audience_type_or_no_nonce_are_refused_with_invalid_proof(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    the_token = await access_token(issuer, record)
    holder = Holder()
    bad_proofs = [
        holder.proof(await nonce(issuer.client), aud=f"{BASE_URL}/v1/issuers/other"),
        holder.proof(await nonce(issuer.client), typ="JWT"),
        holder.proof(None),
        Holder().proof(await nonce(issuer.client))[:-4] + "AAAA",  # a signature that does not verify
    ]
    for proof in bad_proofs:
        assert error_of(await credential(issuer.client, the_token, proof)) == "invalid_proof"
    missing = await issuer.client.post(
        f"{CREDENTIAL_ISSUER}/oid4vci/credential",
        json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc"},
        headers={"Authorization": f"Bearer {the_token}"},
    )
    assert error_of(missing) == "invalid_proof"
    unknown = await credential(issuer.client, the_token, holder.proof(await nonce(issuer.client)), "mdoc_badge")
    assert error_of(unknown) == "unknown_credential_configuration"
    old_form = await issuer.client.post(
        f"{CREDENTIAL_ISSUER}/oid4vci/credential",
        json={"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proof": {"proof_type": "jwt"}},
        headers={"Authorization": f"Bearer {the_token}"},
    )
    assert error_of(old_form) == "invalid_credential_request"
    assert error_of(await credential(issuer.client, "no-such-token", "x"), 401) == "invalid_token"


@pytest.mark.parametrize("action", ["revoke", "suspend"])
async def test_a_revoked_or_suspended_badge_cannot_be_fetched(issuer: Issuer, action: str) -> None:
    record = await issued_badge(issuer)
    the_token = await access_token(issuer, record)
    changed = await issuer.client.post(
        f"/v1/credentials/{record['credential_uuid']}/{action}", headers=issuer.auth("a-1", "institution-admin")
    )
    assert changed.status_code == 200, changed.text
    response = await credential(issuer.client, the_token, Holder().proof(await nonce(issuer.client)))
    assert error_of(response) == "credential_request_denied"
    offer = await issuer.client.post(
        f"/v1/me/credentials/{record['credential_uuid']}/wallet-offer", headers=issuer.auth("s-1")
    )
    assert offer.status_code == 409, offer.text


async def test_only_the_badge_owner_makes_an_offer(issuer: Issuer) -> None:
    record = await issued_badge(issuer)
    path = f"/v1/me/credentials/{record['credential_uuid']}/wallet-offer"
    assert (await issuer.client.post(path, headers=issuer.auth("s-2"))).status_code == 404
    assert (await issuer.client.post(path, headers=issuer.auth("s-1", tenant="other"))).status_code == 404
    assert (await issuer.client.post(path)).status_code == 401


async def test_the_token_endpoint_is_rate_limited(tmp_path: Path) -> None:
    async with issuer_service(tmp_path, wallet_requests_per_minute=3) as issuer:
        answers = [await token(issuer.client, "guess") for _ in range(4)]
        assert [a.status_code for a in answers] == [400, 400, 400, 429]
        assert int(answers[-1].headers["retry-after"]) >= 1
