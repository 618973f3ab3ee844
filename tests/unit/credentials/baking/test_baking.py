"""Baking and extracting credentials in PNG and SVG images (OB 3.0 section 5.3; OB 2.0 extraction)."""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import png
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexvet_credentials.baking import (
    BakingError,
    CredentialFormat,
    bake_image,
    bake_png,
    bake_svg,
    extract_image,
    extract_png,
    extract_svg,
)

pytestmark = pytest.mark.unit

SVG = b"""<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>"""
JWS = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6a2V5OnoifQ.c2lnbmF0dXJl"


def tiny_png() -> bytes:
    out = io.BytesIO()
    png.Writer(width=2, height=2, greyscale=True).write(out, [[0, 255], [255, 0]])
    return out.getvalue()


def pixels(image: bytes) -> list[list[int]]:
    _w, _h, rows, _info = png.Reader(bytes=image).read()
    return [list(row) for row in rows]


def png_with_chunk(kind: bytes, data: bytes) -> bytes:
    chunks = list(png.Reader(bytes=tiny_png()).chunks())
    chunks.insert(len(chunks) - 1, (kind, data))
    out = io.BytesIO()
    png.write_chunks(out, chunks)
    return out.getvalue()


CREDENTIAL = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1", "name": "Zoë"})


def test_png_round_trip_keeps_the_image() -> None:
    baked = bake_png(tiny_png(), CREDENTIAL)
    extracted = extract_png(baked)
    assert (extracted.text, extracted.format, extracted.ob_version) == (CREDENTIAL, CredentialFormat.JSON, "3.0")
    assert pixels(baked) == pixels(tiny_png())
    itxt = [d for k, d in png.Reader(bytes=baked).chunks() if k == b"iTXt"]
    assert itxt == [b"openbadgecredential\x00\x00\x00\x00\x00" + CREDENTIAL.encode()]


def test_baking_again_replaces_the_credential() -> None:
    twice = bake_png(bake_png(tiny_png(), CREDENTIAL), JWS)
    assert [k for k, _ in png.Reader(bytes=twice).chunks()].count(b"iTXt") == 1
    assert extract_png(twice).format is CredentialFormat.JWS
    svg_twice = bake_svg(bake_svg(SVG, CREDENTIAL), JWS)
    assert svg_twice.count(b"<openbadges:credential") == 1
    assert extract_svg(svg_twice).text == JWS


def test_svg_round_trip_json_and_jws() -> None:
    baked = bake_svg(SVG, CREDENTIAL)
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert b"<![CDATA[" in baked
    assert extract_svg(baked).text == CREDENTIAL
    jws_baked = bake_svg(SVG, JWS)
    assert f'verify="{JWS}"'.encode() in jws_baked
    assert extract_svg(jws_baked).format is CredentialFormat.JWS
    assert b"<circle" in jws_baked


def test_cdata_terminator_inside_json_survives() -> None:
    credential = json.dumps({"name": "a]]>b"})
    extracted = extract_svg(bake_svg(SVG, credential))
    assert json.loads(extracted.text) == {"name": "a]]>b"}


def test_compressed_itxt_is_read() -> None:
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(CREDENTIAL.encode())
    assert extract_png(png_with_chunk(b"iTXt", data)).text == CREDENTIAL


def test_ob2_baked_assertions_are_extracted() -> None:
    assertion = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:2"})
    from_png = extract_png(png_with_chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + assertion.encode()))
    assert (from_png.ob_version, from_png.format, from_png.text) == ("2.0", CredentialFormat.JSON, assertion)
    hosted = extract_png(png_with_chunk(b"tEXt", b"openbadges\x00https://issuer.example/assertions/2"))
    assert (hosted.ob_version, hosted.format) == ("2.0", CredentialFormat.URL)
    svg = SVG.replace(
        b'viewBox="0 0 10 10">',
        b'viewBox="0 0 10 10" xmlns:openbadges="http://openbadges.org">'
        b'<openbadges:assertion verify="' + JWS.encode() + b'"/>',
    )
    from_svg = extract_svg(svg)
    assert (from_svg.ob_version, from_svg.format, from_svg.text) == ("2.0", CredentialFormat.JWS, JWS)


def test_unbaked_images_say_so() -> None:
    for image in (tiny_png(), SVG):
        with pytest.raises(BakingError) as info:
            extract_image(image)
        assert info.value.code == "not_baked"


@pytest.mark.parametrize(
    ("image", "code"),
    [
        (b"GIF89a....", "unsupported_image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRbroken", "invalid_image"),
        (b"<svg><unclosed></svg>", "invalid_image"),
        (b"<html><body/></html><svg/>", "invalid_image"),
    ],
)
def test_bad_images_are_refused(image: bytes, code: str) -> None:
    with pytest.raises(BakingError) as info:
        extract_image(image)
    assert info.value.code == code


def test_entity_expansion_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"""
    with pytest.raises(BakingError) as info:
        extract_svg(bomb)
    assert info.value.code == "invalid_image"


@pytest.mark.parametrize("content", ["not a credential", "[1, 2]", "{broken json", "https://issuer.example/a"])
def test_only_credentials_are_baked(content: str) -> None:
    with pytest.raises(BakingError):
        bake_image(tiny_png(), content)


def test_the_1edtech_images_are_extracted(conformance_dir: Path) -> None:
    folder = conformance_dir / "1edtech-validator-ob30"
    for name, fmt in [
        ("simple-json.png", CredentialFormat.JSON),
        ("simple-jwt.png", CredentialFormat.JWS),
        ("simple-json.svg", CredentialFormat.JSON),
        ("simple-jwt.svg", CredentialFormat.JWS),
    ]:
        baked = extract_image((folder / name).read_bytes())
        assert (baked.format, baked.ob_version) == (fmt, "3.0"), name
        if fmt is CredentialFormat.JSON:
            assert "OpenBadgeCredential" in json.loads(baked.text)["type"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
credentials_json = st.dictionaries(st.text(max_size=12), json_values, min_size=1, max_size=6).map(
    lambda value: json.dumps(value, ensure_ascii=False)
)
b64url = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=200)
jws_tokens = st.tuples(b64url, b64url, b64url).map(lambda parts: "eyJ" + ".".join(parts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credential=st.one_of(credentials_json, jws_tokens))
def test_png_and_svg_round_trip_any_credential(credential: str) -> None:
    for image in (tiny_png(), SVG):
        baked = bake_image(image, credential)
        extracted = extract_image(baked)
        if extracted.format is CredentialFormat.JSON:
            assert json.loads(extracted.text) == json.loads(credential)
        else:
            assert extracted.text == credential.strip()
