"""`GET /v1/verify?url=` and the page for a credential by its address: fetched only through the guarded fetcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .credentials import signed
from .harness import Service, assert_problem, checks_by_id, serve_issuer_of, verifier_service
from .page_reader import ResultPage

pytestmark = pytest.mark.unit

HOSTED = "https://badges.rexvet.example/credentials/1"


async def test_hosted_json_credential(service: Service) -> None:
    assert service.documents is not None
    service.documents.add(HOSTED, json.dumps(signed()).encode())
    response = await service.client.get("/v1/verify", params={"url": HOSTED})
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "verified"


async def test_hosted_baked_image_and_vc_jwt(service: Service, validator_dir: Path) -> None:
    assert service.documents is not None
    for name in ("simple-jwt.svg", "simple-json.png"):
        image = (validator_dir / name).read_bytes()
        serve_issuer_of(service.documents, image)
        service.documents.add(f"{HOSTED}/{name}", image)
        report = (await service.client.get("/v1/verify", params={"url": f"{HOSTED}/{name}"})).json()
        assert report["outcome"] == "verified", (name, report)
    token = (validator_dir / "simple.jwt").read_bytes()
    service.documents.add(f"{HOSTED}/jwt", token)
    report = (await service.client.get("/v1/verify", params={"url": f"{HOSTED}/jwt"})).json()
    assert checks_by_id(report)["parse"]["code"] == "parsed_jwt"


async def test_unreachable_address_is_502_and_a_non_credential_400(service: Service) -> None:
    assert_problem(await service.client.get("/v1/verify", params={"url": HOSTED}), 502, "document_not_preloaded")
    assert service.documents is not None
    service.documents.add(f"{HOSTED}/page", b"<html>hello</html>")
    assert_problem(await service.client.get("/v1/verify", params={"url": f"{HOSTED}/page"}), 400, "not_a_credential")
    assert_problem(await service.client.get("/v1/verify", params={"url": "file:///etc/passwd"}), 400, "bad_url")
    assert_problem(await service.client.get("/v1/verify"), 422)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://127.0.0.1:8003/credentials/1", "fetch_refused_scheme"),
        ("https://127.0.0.1/credentials/1", "fetch_refused_loopback_address"),
        ("https://10.0.0.5/credentials/1", "fetch_refused_private_address"),
        ("https://169.254.169.254/latest/meta-data/", "fetch_refused_metadata_address"),
    ],
)
async def test_the_guarded_fetcher_refuses_internal_addresses(tmp_path: Path, url: str, code: str) -> None:
    # The service's own guarded fetcher, as in production (no loopback): refused before any connection is made.
    async with verifier_service(tmp_path, use_network=True, allow_loopback_fetch=False) as service:
        assert_problem(await service.client.get("/v1/verify", params={"url": url}), 400, code)


async def test_page_for_an_address(service: Service) -> None:
    assert service.documents is not None
    service.documents.add(HOSTED, json.dumps(signed()).encode())
    page = ResultPage((await service.client.get("/verify", params={"url": HOSTED})).text)
    assert page.outcome is not None and page.outcome.attrs["data-outcome"] == "verified"
    refused = await service.client.get("/verify", params={"url": "https://badges.rexvet.example/none"})
    assert refused.status_code == 502 and 'role="alert"' in refused.text
    assert 'value="https://badges.rexvet.example/none"' in refused.text  # the form keeps what was typed
