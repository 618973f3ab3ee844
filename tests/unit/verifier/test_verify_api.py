"""`POST /v1/verify`: the 1EdTech validator's files and our own credentials, as JSON, VC-JWT, PNG and SVG.

A credential that fails is still a 200 report; only input that is no credential at all (garbage, too large, an
unsupported media type) is a problem. Why each 1EdTech file gets its outcome is explained in
tests/unit/credentials/test_1edtech_conformance.py: here the same outcomes must come out of the API.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .credentials import signed, with_status
from .harness import LIMIT, Service, assert_problem, checks_by_id, serve_issuer_of

pytestmark = pytest.mark.unit

MEDIA_TYPES = {
    "simple.json": "application/json",
    "simple-json.png": "image/png",
    "simple-json.svg": "image/svg+xml",
    "simple-jwt.png": "image/png",
    "simple-jwt.svg": "image/svg+xml",
}


@pytest.mark.parametrize("name", sorted(MEDIA_TYPES))
async def test_1edtech_files_verify_once_their_issuer_lists_the_key(
    service: Service, validator_dir: Path, name: str
) -> None:
    data = (validator_dir / name).read_bytes()
    assert service.documents is not None
    issuer = serve_issuer_of(service.documents, data)
    response = await service.client.post("/v1/verify", content=data, headers={"Content-Type": MEDIA_TYPES[name]})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["outcome"] == "verified", report
    assert report["verified"] is True
    assert report["issuerId"] == issuer
    checks = checks_by_id(report)
    assert checks["proof"]["code"] == "signature_valid"
    for check in report["checks"]:
        assert {"id", "outcome", "code", "message", "severity"} <= check.keys()
    # Nobody published this issuer's profile to the consortium: a warning, which does not change the outcome.
    assert checks["registered_issuer"]["code"] == "issuer_not_registered"
    assert [w["code"] for w in report["warnings"]] == ["issuer_not_registered"]


@pytest.mark.parametrize("name", ["simple-json.png", "simple-jwt.svg"])
async def test_1edtech_images_without_the_issuer_document_are_incomplete(
    service: Service, validator_dir: Path, name: str
) -> None:
    data = (validator_dir / name).read_bytes()
    response = await service.client.post("/v1/verify", content=data, headers={"Content-Type": MEDIA_TYPES[name]})
    report = response.json()
    assert response.status_code == 200
    assert report["outcome"] == "incomplete"
    assert report["verified"] is False


async def test_older_vc_jwt_form_fails_on_its_unpinned_context(service: Service, validator_dir: Path) -> None:
    token = (validator_dir / "simple.jwt").read_bytes()
    response = await service.client.post("/v1/verify", content=token, headers={"Content-Type": "application/jwt"})
    assert response.status_code == 200
    report = response.json()
    assert report["outcome"] == "failed"
    assert checks_by_id(report)["contexts"]["code"] == "unknown_context"


async def test_vc_jwt_as_text_plain_and_inside_json(service: Service, validator_dir: Path) -> None:
    token = (validator_dir / "simple.jwt").read_text().strip()
    as_text = await service.client.post("/v1/verify", content=token, headers={"Content-Type": "text/plain"})
    wrapped = await service.client.post("/v1/verify", json={"verifiableCredential": token})
    assert as_text.status_code == wrapped.status_code == 200
    assert (
        checks_by_id(as_text.json())["parse"]["code"] == checks_by_id(wrapped.json())["parse"]["code"] == "parsed_jwt"
    )


async def test_did_key_credential_is_verified_bare_and_wrapped(service: Service) -> None:
    credential = signed()
    bare = await service.verify_json(credential)
    wrapped = await service.verify_json({"verifiableCredential": credential, "options": {}})
    assert bare["outcome"] == wrapped["outcome"] == "verified"
    assert bare["credentialId"] == credential["id"]


async def test_tampered_credential_is_a_failed_report(service: Service) -> None:
    credential = signed()
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Abroad · Expert"
    report = await service.verify_json(tampered)
    assert report["outcome"] == "failed"
    assert checks_by_id(report)["proof"]["code"] == "signature_invalid"
    assert checks_by_id(report)["proof"]["outcome"] == "failed"


async def test_tampered_png_is_a_failed_report(service: Service, validator_dir: Path) -> None:
    from rexvet_credentials.baking import bake_png, extract_png

    image = (validator_dir / "simple-json.png").read_bytes()
    assert service.documents is not None
    serve_issuer_of(service.documents, image)
    credential = json.loads(extract_png(image).text)
    credential["name"] = "Something else"
    response = await service.client.post(
        "/v1/verify", content=bake_png(image, json.dumps(credential)), headers={"Content-Type": "image/png"}
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "failed"
    assert checks_by_id(response.json())["proof"]["code"] == "signature_invalid"


async def test_unknown_context_fails(service: Service) -> None:
    credential = signed()
    credential["@context"] = [*credential["@context"], "https://contexts.example/badges.jsonld"]
    report = await service.verify_json(credential)
    assert report["outcome"] == "failed"
    contexts = checks_by_id(report)["contexts"]
    assert (contexts["outcome"], contexts["code"]) == ("failed", "unknown_context")


async def test_unreachable_status_list_is_incomplete_not_verified(service: Service) -> None:
    report = await service.verify_json(with_status())
    assert report["outcome"] == "incomplete"
    assert report["verified"] is False
    status = checks_by_id(report)["status"]
    assert (status["outcome"], status["code"]) == ("not_checked", "status_list_unreachable")
    assert checks_by_id(report)["proof"]["outcome"] == "passed"


async def test_undefined_terms_are_a_warning(service: Service) -> None:
    from .credentials import ob3_credential

    credential = ob3_credential(rexvetNote="declared as undefined")
    credential["@context"] = [*credential["@context"], "https://www.w3.org/ns/credentials/undefined-terms/v2"]
    report = await service.verify_json(signed(credential))
    assert report["outcome"] == "verified", report
    assert "undefined_terms" in [w["code"] for w in report["warnings"]]
    assert report["undefinedTerms"]


# --- input that is no credential at all --------------------------------------------------------------------


async def test_garbage_json_is_a_problem(service: Service) -> None:
    response = await service.client.post(
        "/v1/verify", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "not_json")


async def test_json_that_is_not_an_object_is_a_problem(service: Service) -> None:
    assert_problem(await service.client.post("/v1/verify", json=[1, 2]), 400, "not_an_object")


async def test_text_that_is_no_jws_is_a_problem(service: Service) -> None:
    response = await service.client.post("/v1/verify", content=b"hello there", headers={"Content-Type": "text/plain"})
    assert_problem(response, 400, "not_a_credential")


async def test_image_without_a_credential_is_a_problem(service: Service) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'
    response = await service.client.post("/v1/verify", content=svg, headers={"Content-Type": "image/svg+xml"})
    assert_problem(response, 400)


async def test_png_announced_but_not_sent_is_a_problem(service: Service) -> None:
    response = await service.client.post("/v1/verify", content=b"GIF89a....", headers={"Content-Type": "image/png"})
    assert_problem(response, 400, "unsupported_image")


async def test_empty_body_is_a_problem(service: Service) -> None:
    response = await service.client.post("/v1/verify", content=b"", headers={"Content-Type": "application/json"})
    assert_problem(response, 400, "empty_body")


async def test_unsupported_media_type_is_415(service: Service) -> None:
    response = await service.client.post("/v1/verify", content=b"abc", headers={"Content-Type": "application/pdf"})
    body = assert_problem(response, 415, "unsupported_media_type")
    assert "image/png" in body["accepted"]


async def test_oversize_body_is_413_whether_declared_or_streamed(service: Service) -> None:
    big = b'{"a": "' + b"x" * LIMIT + b'"}'
    declared = await service.client.post("/v1/verify", content=big, headers={"Content-Type": "application/json"})
    assert_problem(declared, 413)

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit must hold while reading
        for _ in range(LIMIT // 1024 + 1):
            yield b"x" * 1024

    streamed = await service.client.post("/v1/verify", content=chunks(), headers={"Content-Type": "application/json"})
    assert_problem(streamed, 413)


async def test_multipart_upload_of_an_image(service: Service, validator_dir: Path) -> None:
    image = (validator_dir / "simple-jwt.png").read_bytes()
    assert service.documents is not None
    serve_issuer_of(service.documents, image)
    response = await service.client.post("/v1/verify", files={"image": ("badge.png", image, "image/png")})
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "verified"
