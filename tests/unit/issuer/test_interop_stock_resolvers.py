"""A badge issued by the running issuer, as verifiers nobody here wrote see it, each with its stock resolvers:
DCC's verifier-core (the Learner Credential Wallet's and VerifierPlus's verifier), Digital Bazaar's VC stack with
did-method-web / did-method-key, and openbadgeslib (PyPI). None is told anything about the issuer's layout: each
dereferences the proof's `did:web:127.0.0.1%3A<port>:v1:issuers:omnia#z6Mk...` by the did:web rules, fetching
`https://127.0.0.1:<port>/v1/issuers/omnia/did.json` from the issuer served by uvicorn on a free loopback port.
The one liberty of the harness: https URLs of loopback hosts are fetched over http (the server has no certificate).
rexvet's own verifier reads the same documents through its guarded fetcher under the development policy, and
still verifies a credential issued under the Profile URL before the did:web existed.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import uvicorn
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError
from openbadgeslib.util import download_file

from rexvet_credentials import SystemClock, VerificationReport, verify_credential
from rexvet_credentials.document_loader import load_pinned_context, pinned_context_urls
from rexvet_credentials.fetch import GuardedFetcher
from rexvet_credentials.fetch_policy import FetchPolicy
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.ports import FetchedDocument
from rexvet_credentials.report import Outcome
from rexvet_credentials.sign import sign_credential
from rexvet_issuer.application import issuers

from .harness import Issuer, eligible, issuer_service

pytestmark = pytest.mark.interop

JS_DIR = Path(__file__).resolve().parents[2] / "interop" / "js"  # the pinned node packages of tests/interop
START_SECONDS = 60.0  # a guard against a hanging start-up, not a timing requirement


@dataclass
class LiveIssuer:
    issuer: Issuer
    base_url: str  # https://127.0.0.1:<port>, the issuer's public address (served over http)

    @property
    def did(self) -> str:
        return f"did:web:127.0.0.1%3A{urlsplit(self.base_url).port}:v1:issuers:omnia"


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveIssuer]:
    # Bound first, so the issuer's public address (and so its did:web) carries the port it is served on.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base_url = f"https://127.0.0.1:{sock.getsockname()[1]}"
    async with issuer_service(tmp_path, public_url=base_url) as issuer:
        # In this event loop, beside the test: the app's lifespan is the harness's, so uvicorn runs none.
        server = uvicorn.Server(uvicorn.Config(issuer.app, log_config=None, log_level="warning", lifespan="off"))
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        deadline = asyncio.get_running_loop().time() + START_SECONDS
        while not server.started:
            assert not serving.done(), "uvicorn stopped while starting"
            assert asyncio.get_running_loop().time() < deadline, "uvicorn did not start"
            await asyncio.sleep(0.02)
        try:
            yield LiveIssuer(issuer, base_url)
        finally:
            server.should_exit = True
            await serving
            sock.close()


async def field_verifiers(credential: dict[str, Any]) -> dict[str, Any]:
    """verifier-core's and Digital Bazaar's answers (resolve.mjs), run as a subprocess that fetches from us."""
    installed = JS_DIR / "node_modules" / "@digitalcredentials" / "verifier-core"
    if shutil.which("node") is None or not installed.is_dir():
        pytest.fail("node and tests/interop/js's pinned packages are needed (cd tests/interop/js && npm ci)")
    contexts = {url: load_pinned_context(url) for url in pinned_context_urls()}
    process = await asyncio.create_subprocess_exec(
        "node",
        "resolve.mjs",
        cwd=JS_DIR,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(
        process.communicate(json.dumps({"credential": credential, "documents": contexts}).encode()), 120
    )
    assert process.returncode == 0, (out + err).decode()
    answer: dict[str, Any] = json.loads(out)
    return answer


def loopback_download(url: str) -> bytes:
    """openbadgeslib's own downloader; only https on a loopback host is read over http (the harness's liberty)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname == "127.0.0.1":
        url = urlunsplit(("http", *parts[1:]))
    return download_file(url, allow_insecure=True, allow_private=True)


async def openbadgeslib_verifies(credential: dict[str, Any], *, check_status: bool = True) -> None:
    """Stock: no pinned key, the issuer's did:web resolved by openbadgeslib itself; raises when not verified.

    The status list's bit is read, its own proof not: openbadgeslib 4.6.3 verifies only JWT-VC status lists
    ("is not a signed JWT-VC, so its proof cannot be verified"), and the platform signs its lists with Data
    Integrity, as the Bitstring Status List suite and the two other verifiers expect.
    """
    verifier = OB3LdpVerifier()
    await asyncio.to_thread(
        verifier.verify, credential, check_status=check_status, download=loopback_download, verify_status_list=False
    )


class LoopbackHttps:
    """The guarded fetcher, with the harness's one liberty: an https URL of 127.0.0.1 is fetched over http."""

    def __init__(self) -> None:
        self._fetcher = GuardedFetcher(FetchPolicy.for_local_tests())

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname == "127.0.0.1":
            url = urlunsplit(("http", *parts[1:]))
        return await self._fetcher.fetch(url, accept=accept)


async def rexvet_verifies(credential: dict[str, Any]) -> VerificationReport:
    """rexvet's verifier as `make run` configures it: guarded fetcher, development policy (did:web over http on
    loopback)."""
    ports = network_ports(SystemClock(), fetcher=LoopbackHttps(), did_web_http_on_loopback=True)
    return await verify_credential(
        json.dumps(credential).encode(),
        clock=SystemClock(),
        key_resolver=ports.key_resolver,
        status_checker=ports.status_checker,
    )


def core_passed(answer: dict[str, Any]) -> bool:
    """verifier-core's verdict: no fatal error, and its signature, expiry and revocation steps valid."""
    steps = {step["id"]: step["valid"] for step in answer["log"]}
    wanted = ("valid_signature", "expiration", "revocation_status")
    return not answer["errors"] and all(steps.get(step) is True for step in wanted)


async def issued(live: LiveIssuer) -> dict[str, Any]:
    await live.issuer.publish_eligible(eligible())
    await live.issuer.settled()
    page = await live.issuer.documents.find("credentials", {"institution": "omnia", "staff_id": "s-1"})
    [record] = page.items
    credential: dict[str, Any] = record["credential"]
    return {"uuid": record["credential_uuid"], "credential": credential}


async def test_three_independent_verifiers_verify_an_issued_badge_and_see_it_revoked(live: LiveIssuer) -> None:
    found = await issued(live)
    credential = found["credential"]
    assert credential["issuer"]["id"] == live.did
    assert credential["proof"]["verificationMethod"].startswith(f"{live.did}#z6Mk")

    answer = await field_verifiers(credential)
    assert core_passed(answer["verifierCore"]), answer["verifierCore"]
    assert answer["digitalBazaar"] == {
        "verified": True,
        "error": None,
        "statuses": [{"purpose": "revocation", "status": False}],
    }, answer["digitalBazaar"]
    assert f"{live.base_url}/v1/issuers/omnia/did.json" in answer["fetched"]  # by the did:web rules, nothing else
    await openbadgeslib_verifies(credential)
    assert (await rexvet_verifies(credential)).outcome is Outcome.VERIFIED

    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["achievement"]["name"] = "Expert abroad"
    answer = await field_verifiers(tampered)
    assert not core_passed(answer["verifierCore"])
    assert answer["digitalBazaar"]["verified"] is False
    with pytest.raises(OB3VerificationError):
        await openbadgeslib_verifies(tampered)

    admin = live.issuer.auth("a-1", "institution-admin")
    revoke = await live.issuer.client.post(f"/v1/credentials/{found['uuid']}/revoke", headers=admin)
    assert revoke.status_code == 200, revoke.text
    answer = await field_verifiers(credential)
    steps = {step["id"]: step for step in answer["verifierCore"]["log"]}
    assert steps["valid_signature"]["valid"] is True and steps["revocation_status"]["valid"] is False, answer
    assert answer["digitalBazaar"]["statuses"] == [{"purpose": "revocation", "status": True}], answer
    with pytest.raises(OB3VerificationError, match=r"status 'revocation' is set"):
        await openbadgeslib_verifies(credential)
    revoked = await rexvet_verifies(credential)
    assert (revoked.outcome, revoked.check("status").code) == (Outcome.FAILED, "status_revoked"), revoked.to_dict()


async def test_a_key_under_another_controller_is_refused_by_all(live: LiveIssuer) -> None:
    """A proof naming the issuer's DID with a key the DID document does not list: no verifier takes it."""
    credential = (await issued(live))["credential"]
    stranger = Ed25519SigningKey.generate(controller=live.did)  # claims the issuer's DID, not in its document
    unsigned = {name: value for name, value in credential.items() if name != "proof"}
    forged = sign_credential(unsigned, stranger)
    answer = await field_verifiers(forged)
    assert not core_passed(answer["verifierCore"])
    assert answer["digitalBazaar"]["verified"] is False
    with pytest.raises(OB3VerificationError):
        await openbadgeslib_verifies(forged, check_status=False)
    assert (await rexvet_verifies(forged)).outcome is Outcome.FAILED


async def test_a_badge_issued_under_the_profile_url_before_the_did_web_still_verifies_here(live: LiveIssuer) -> None:
    """Stored credentials are not rewritten: one signed under the Profile URL with its `<Profile URL>#z6Mk...` key,
    as every badge before the did:web was, still verifies on rexvet's verifier through the Profile document."""
    new = (await issued(live))["credential"]
    stored = await live.issuer.documents.get(issuers.COLLECTION, "omnia")
    assert stored is not None
    [key] = stored["keys"]
    profile_url = f"{live.base_url}/v1/issuers/omnia"
    # The stored record keeps the format it had: the Profile URL and the keys' ids under it (no migration).
    assert (stored["issuer_id"], key["id"]) == (profile_url, f"{profile_url}#{key['public_key_multibase']}")
    document = (await live.issuer.client.get("/v1/issuers/omnia")).json()
    assert (document["id"], document["alsoKnownAs"], document["assertionMethod"]) == (
        profile_url,
        [live.did],
        [key["id"]],
    )

    # The same key, as the issuer used it before: controller the Profile URL, method `<Profile URL>#z6Mk...`.
    context = live.issuer.app.state.runtime.context
    private = context.issuers.vault.open(key["sealed"], tenant="omnia", key_id=key["id"])
    legacy_key = Ed25519SigningKey.from_private_key(private, controller=profile_url, key_id=key["id"])
    unsigned = {name: value for name, value in new.items() if name != "proof"}
    unsigned["issuer"] = {**unsigned["issuer"], "id": profile_url}
    # ...and its status entry at the list URL of then, whose list is signed under the Profile URL
    status = unsigned["credentialStatus"]
    legacy_list = status["statusListCredential"].replace("/status-lists/", "/status/")
    unsigned["credentialStatus"] = {**status, "statusListCredential": legacy_list}
    legacy = sign_credential(unsigned, legacy_key)
    assert legacy["proof"]["verificationMethod"] == key["id"]
    report = await rexvet_verifies(legacy)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert report.check("key_binding").outcome.value == "passed", report.to_dict()

    # its revocation is read from the list signed under the Profile URL, as before
    admin = live.issuer.auth("a-1", "institution-admin")
    [record] = (await live.issuer.documents.find("credentials", {"institution": "omnia"})).items
    assert (
        await live.issuer.client.post(f"/v1/credentials/{record['credential_uuid']}/revoke", headers=admin)
    ).is_success
    revoked = await rexvet_verifies(legacy)
    assert (revoked.outcome, revoked.check("status").code) == (Outcome.FAILED, "status_revoked"), revoked.to_dict()

    # ...and the key cannot be moved between the identities: the old method id under the new issuer is refused.
    claimed = Ed25519SigningKey.from_private_key(private, controller=live.did, key_id=key["id"])
    crossed = sign_credential({**unsigned, "issuer": {**unsigned["issuer"], "id": live.did}}, claimed)
    assert (await rexvet_verifies(crossed)).outcome is Outcome.FAILED


async def test_a_credential_signed_through_the_vc_api_verifies_with_the_stock_resolvers(live: LiveIssuer) -> None:
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Mentor abroad",
        "credentialSubject": {
            "id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://rexvet.example/achievements/mentor",
                "type": ["Achievement"],
                "name": "Mentor abroad",
                "description": "Mentored a colleague's first mobility.",
                "criteria": {"narrative": "A mentored mobility, reviewed by a coach."},
            },
        },
    }
    body = {"credential": credential, "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}}}
    admin = live.issuer.auth("a-1", "institution-admin")
    response = await live.issuer.client.post("/credentials/issue", json=body, headers=admin)
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    assert signed["issuer"]["id"] == live.did

    answer = await field_verifiers(signed)
    assert core_passed(answer["verifierCore"]), answer["verifierCore"]
    assert answer["digitalBazaar"]["verified"] is True, answer["digitalBazaar"]
    assert answer["digitalBazaar"]["statuses"] == [{"purpose": "revocation", "status": False}]
    await openbadgeslib_verifies(signed)
