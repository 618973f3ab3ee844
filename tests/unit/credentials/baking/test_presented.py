"""Verifying what a holder presents: JSON, VC-JWT text, or a baked image of either."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from rexvet_credentials.baking import bake_image
from rexvet_credentials.baking.presented import verify_presented
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.jwt.keys import JwtSigningKey
from rexvet_credentials.jwt.sign import sign_vc_jwt
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_p256_public
from rexvet_credentials.report import Outcome
from rexvet_credentials.sign import sign_credential

from ..ob3_credentials import ob3_credential
from .test_baking import SVG, png_with_chunk, tiny_png

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
ED = Ed25519SigningKey.generate()
P256 = ec.generate_private_key(ec.SECP256R1())
P256_DID = "did:key:" + encode_p256_public(P256.public_key())


def signed_json() -> str:
    return json.dumps(sign_credential(ob3_credential(ED.controller), ED))


def signed_jwt() -> str:
    key = JwtSigningKey(P256, f"{P256_DID}#{P256_DID.removeprefix('did:key:')}", P256_DID)
    return sign_vc_jwt(ob3_credential(P256_DID), key)


@pytest.mark.parametrize("make", [signed_json, signed_jwt])
@pytest.mark.parametrize("image", [tiny_png, lambda: SVG])
async def test_baked_credentials_verify(make: Callable[[], str], image: Callable[[], bytes]) -> None:
    report = await verify_presented(bake_image(image(), make()), clock=CLOCK)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


async def test_plain_json_and_jwt_text_verify() -> None:
    assert (await verify_presented(signed_json().encode(), clock=CLOCK)).outcome is Outcome.VERIFIED
    assert (await verify_presented(signed_jwt().encode() + b"\n", clock=CLOCK)).outcome is Outcome.VERIFIED


async def test_tampered_baked_credential_fails() -> None:
    credential = json.loads(signed_json())
    credential["name"] = "Internationalisation, level 5"
    report = await verify_presented(bake_image(tiny_png(), json.dumps(credential)), clock=CLOCK)
    assert report.outcome is Outcome.FAILED
    assert report.check("proof").code == "signature_invalid"


async def test_unbaked_image_and_ob2_image_fail_to_parse() -> None:
    report = await verify_presented(tiny_png(), clock=CLOCK)
    assert (report.outcome, report.check("parse").code) == (Outcome.FAILED, "not_baked")
    ob2 = png_with_chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00https://issuer.example/assertions/1")
    report = await verify_presented(ob2, clock=CLOCK)
    assert (report.outcome, report.check("parse").code) == (Outcome.FAILED, "ob2_assertion")
    assert report.check("parse").details["assertion"] == "https://issuer.example/assertions/1"
