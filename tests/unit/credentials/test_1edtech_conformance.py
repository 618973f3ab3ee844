"""What rexvet reports for the 1EdTech validator's VC-JWT, PNG and SVG test files, and why.

1EdTech's own tests assert all four images valid. Their keys are named by conventions rexvet does not trust
blindly (see didweb.py):
- the JSON images sign with `https://example.com/issuers/876543#z6Mk...`: a key written after the issuer's URL.
  Anyone can write any key after any URL, so rexvet trusts it only when the issuer's document lists it.
- the JWT images carry their RSA key in the `jwk` header and no `kid`: the header proves only that *someone*
  holds the key; it must also be one of the issuer's keys.
Offline (these issuers' hosts do not resolve here) both are therefore `incomplete`: the signature is checked
where it can be (it is valid for the JWT images), the key binding could not be. With the issuer's document
listing the key, each file is `verified`: the signatures themselves are good.
`simple.jwt` is the older VC-JWT form with the unversioned OB context, which rexvet does not pin (it never fetches
contexts): `failed`, whatever the network says.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.baking import CredentialFormat, extract_image
from rexvet_credentials.baking.presented import verify_presented
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.didweb import WebKeyResolver
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.report import CheckOutcome, Outcome, VerificationReport

from .fakes import FakeFetcher, SteppingClock

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
IMAGES = ["simple-json.png", "simple-json.svg", "simple-jwt.png", "simple-jwt.svg"]


class OfflineFetcher(FakeFetcher):
    """Every host fails to resolve, as the 1EdTech example hosts do here (no internet on these machines)."""

    async def fetch(self, url: str, *, accept: str = "application/json") -> Any:
        self.failures.setdefault(url, "fetch_dns_failed")
        return await super().fetch(url, accept=accept)


def read(conformance_dir: Path, name: str) -> bytes:
    return (conformance_dir / "1edtech-validator-ob30" / name).read_bytes()


def segment(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # type: ignore[no-any-return]


async def verify_offline(data: bytes) -> VerificationReport:
    return await verify_presented(data, clock=CLOCK, key_resolver=WebKeyResolver(OfflineFetcher(), SteppingClock()))


@pytest.mark.parametrize("name", ["simple-json.png", "simple-json.svg"])
async def test_json_images_offline_are_incomplete_because_the_fragment_key_is_unconfirmed(
    conformance_dir: Path, name: str
) -> None:
    report = await verify_offline(read(conformance_dir, name))
    assert report.outcome is Outcome.INCOMPLETE
    for check_id in ("parse", "contexts", "structure", "validity_period"):
        assert report.check(check_id).outcome is CheckOutcome.PASSED, check_id
    assert report.check("proof").code == "key_resolution_unavailable"
    assert report.check("key_binding").outcome is CheckOutcome.NOT_CHECKED


@pytest.mark.parametrize("name", ["simple-jwt.png", "simple-jwt.svg"])
async def test_jwt_images_offline_have_a_valid_signature_but_an_unbound_key(conformance_dir: Path, name: str) -> None:
    report = await verify_offline(read(conformance_dir, name))
    assert report.outcome is Outcome.INCOMPLETE
    assert (report.check("proof").outcome, report.check("proof").code) == (CheckOutcome.PASSED, "signature_valid")
    assert report.check("claims").outcome is CheckOutcome.PASSED
    assert report.check("key_binding").code == "key_resolution_unavailable"


def issuer_profile_listing_the_key(image: bytes) -> tuple[str, dict[str, Any]]:
    """The issuer's profile as it would have to be published for the key binding to hold."""
    baked = extract_image(image)
    if baked.format is CredentialFormat.JSON:
        credential = json.loads(baked.text)
        proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
        issuer, method_id = credential["issuer"]["id"], proof["verificationMethod"]
        method = {"id": method_id, "type": "Multikey", "publicKeyMultibase": method_id.split("#", 1)[1]}
    else:
        issuer = segment(baked.text, 1)["iss"]
        method_id = f"{issuer}#key-1"
        method = {"id": method_id, "type": "JsonWebKey", "publicKeyJwk": segment(baked.text, 0)["jwk"]}
    return issuer, {"id": issuer, "type": "Profile", "verificationMethod": [method], "assertionMethod": [method_id]}


@pytest.mark.parametrize("name", IMAGES)
async def test_each_image_verifies_once_the_issuer_lists_its_key(conformance_dir: Path, name: str) -> None:
    image = read(conformance_dir, name)
    issuer, profile = issuer_profile_listing_the_key(image)
    resolver = WebKeyResolver(FakeFetcher(documents={issuer: profile}), SteppingClock())
    report = await verify_presented(image, clock=CLOCK, key_resolver=resolver)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


@pytest.mark.parametrize("name", IMAGES)
async def test_each_image_fails_when_the_issuer_lists_another_key(conformance_dir: Path, name: str) -> None:
    image = read(conformance_dir, name)
    issuer, profile = issuer_profile_listing_the_key(image)
    method = profile["verificationMethod"][0]
    other = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"  # a different Ed25519 key (from simple.json)
    profile["verificationMethod"] = [{"id": f"{issuer}#{other}", "type": "Multikey", "publicKeyMultibase": other}]
    profile["assertionMethod"] = [f"{issuer}#{other}"]
    assert method["id"] != f"{issuer}#{other}"
    resolver = WebKeyResolver(FakeFetcher(documents={issuer: profile}), SteppingClock())
    report = await verify_presented(image, clock=CLOCK, key_resolver=resolver)
    assert report.outcome is Outcome.FAILED


async def test_simple_jwt_older_form_fails_on_its_unpinned_context(conformance_dir: Path) -> None:
    token = read(conformance_dir, "simple.jwt")
    payload = segment(token.decode().strip(), 1)
    assert "vc" in payload  # the older form: the credential under `vc`
    report = await verify_offline(token)
    assert report.outcome is Outcome.FAILED
    assert "older VC-JWT form" in report.check("parse").message
    contexts = report.check("contexts")
    assert (contexts.outcome, contexts.code) == (CheckOutcome.FAILED, "unknown_context")
    assert "imsglobal.github.io/openbadges-specification/context.json" in contexts.message
    # Its key: no kid and no jwk, so it is looked up from the issuer, which cannot be reached offline.
    assert report.check("proof").outcome is CheckOutcome.NOT_CHECKED


async def test_complete_json_1edtech_revocation_list_cannot_be_checked_offline(conformance_dir: Path) -> None:
    data = read(conformance_dir, "complete.json")
    assert json.loads(data)["credentialStatus"]["type"] == "1EdTechRevocationList"
    ports = network_ports(CLOCK, fetcher=OfflineFetcher())
    report = await verify_presented(
        data, clock=CLOCK, key_resolver=ports.key_resolver, status_checker=ports.status_checker
    )
    status = report.check("status")
    assert (status.outcome, status.code) == (CheckOutcome.NOT_CHECKED, "status_list_unreachable")
    assert report.outcome is not Outcome.VERIFIED
