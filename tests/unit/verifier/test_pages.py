"""The public pages: a form, and a result page where `incomplete` is never a green tick and everything is escaped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from .credentials import ob3_credential, signed, with_status
from .harness import LIMIT, Service, serve_issuer_of
from .page_reader import ResultPage

pytestmark = pytest.mark.unit

TICK = "✓"


def assert_strict_page_headers(response: httpx.Response) -> None:
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy  # no script may run at all
    assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


async def post_form(service: Service, *, text: str = "", image: tuple[str, bytes, str] | None = None) -> httpx.Response:
    files = {"image": image} if image is not None else {"image": ("", b"", "application/octet-stream")}
    return await service.client.post("/verify", data={"credential": text}, files=files)


async def test_form_page(service: Service) -> None:
    response = await service.client.get("/")
    assert response.status_code == 200
    assert_strict_page_headers(response)
    assert '<form method="post" action="/verify" enctype="multipart/form-data">' in response.text
    assert '<label for="credential">' in response.text and '<label for="image">' in response.text
    assert "<script" not in response.text and "style=" not in response.text


async def test_incomplete_shows_no_green_tick(service: Service) -> None:
    response = await post_form(service, text=json.dumps(with_status()))
    assert response.status_code == 200, response.text
    assert_strict_page_headers(response)
    page = ResultPage(response.text)
    assert page.outcome is not None
    assert page.outcome.attrs["data-outcome"] == "incomplete"
    assert TICK not in page.outcome.words and "ok" not in page.outcome.css
    assert "Could not be fully verified" in page.outcome.words
    status = page.rows["status"]
    assert TICK not in status.words and "ok" not in status.css
    assert "not checked" in status.words and "status_list_unreachable" in status.words
    assert TICK in page.rows["proof"].words  # the checks that did pass keep their tick


async def test_verified_shows_the_tick_and_every_check(service: Service) -> None:
    page = ResultPage((await post_form(service, text=json.dumps(signed()))).text)
    assert page.outcome is not None and page.outcome.attrs["data-outcome"] == "verified"
    assert TICK in page.outcome.words and "ok" in page.outcome.css
    assert "read the warnings below" in page.outcome.words  # the issuer is not registered
    assert set(page.rows) == {
        "parse",
        "contexts",
        "structure",
        "context_version",
        "issuer_name",
        "proof",
        "key_binding",
        "status",
        "status_entries",
        "validity_period",
        "valid_from",
        "registered_issuer",
    }
    # An unregistered issuer is a warning: flagged, but neither a tick nor a failure.
    issuer_row = page.rows["registered_issuer"]
    assert "warn" in issuer_row.css and TICK not in issuer_row.words


async def test_failed_shows_a_cross(service: Service) -> None:
    credential = signed()
    credential["name"] = "Changed after signing"
    page = ResultPage((await post_form(service, text=json.dumps(credential))).text)
    assert page.outcome is not None and page.outcome.attrs["data-outcome"] == "failed"
    assert "✗" in page.outcome.words and TICK not in page.outcome.words
    assert "bad" in page.rows["proof"].css


async def test_uploaded_image(service: Service, validator_dir: Path) -> None:
    image = (validator_dir / "simple-json.svg").read_bytes()
    assert service.documents is not None
    serve_issuer_of(service.documents, image)
    page = ResultPage((await post_form(service, image=("badge.svg", image, "image/svg+xml"))).text)
    assert page.outcome is not None and page.outcome.attrs["data-outcome"] == "verified"


async def test_everything_from_the_credential_is_escaped(service: Service) -> None:
    hostile = "urn:x:<script>alert(1)</script>"
    response = await post_form(service, text=json.dumps(ob3_credential(id=hostile)))
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "urn:x:&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


async def test_unreadable_input_shows_the_form_with_the_reason(service: Service) -> None:
    response = await post_form(service, text="certainly not a credential")
    assert response.status_code == 400
    assert_strict_page_headers(response)
    assert 'role="alert"' in response.text and "neither a credential in JSON nor a compact JWS" in response.text
    empty = await post_form(service)
    assert empty.status_code == 400 and "paste a credential" in empty.text


async def test_too_large_upload_shows_the_form_with_the_reason(service: Service) -> None:
    response = await post_form(service, image=("big.png", b"\x89PNG" + b"0" * LIMIT, "image/png"))
    assert response.status_code == 413
    assert f"at most {LIMIT}" in response.text


async def test_stylesheet_is_served(service: Service) -> None:
    response = await service.client.get("/static/verifier.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert ".notice" in response.text


def with_level(level_id: str = "urn:rexvet:level:advanced") -> dict[str, Any]:
    credential = ob3_credential()
    subject = credential["credentialSubject"]
    subject["achievement"]["resultDescription"] = [
        {
            "id": "urn:rexvet:ladder",
            "type": ["ResultDescription"],
            "name": "Ladder level",
            "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": [
                {"id": f"urn:rexvet:level:{name.lower()}", "type": ["RubricCriterionLevel"], "name": name}
                for name in ("Rookie", "Advanced", "Expert")
            ],
        }
    ]
    subject["result"] = [{"type": ["Result"], "resultDescription": "urn:rexvet:ladder", "achievedLevel": level_id}]
    return credential


async def test_an_authentic_credential_shows_what_it_says(service: Service) -> None:
    response = await post_form(service, text=json.dumps(signed(with_level())))
    assert ResultPage(response.text).outcome is not None
    text = response.text
    assert "<dt>Badge</dt><dd>Home · Rookie</dd>" in text
    assert "<dt>Level</dt><dd>Advanced</dd>" in text
    assert "<dt>Issued by</dt><dd>Omnia &lt;Espoo&gt; &amp; partners</dd>" in text
    # the date as English writes it, the stated value kept for machines in <time datetime>
    assert '<dt>Valid from</dt><dd><time datetime="2026-01-15T09:00:00Z">15 Jan 2026, 09:00:00 UTC</time>' in text


async def test_a_credential_whose_signature_fails_says_nothing(service: Service) -> None:
    credential = signed(with_level())
    credential["credentialSubject"]["result"][0]["achievedLevel"] = "urn:rexvet:level:expert"
    response = await post_form(service, text=json.dumps(credential))
    outcome = ResultPage(response.text).outcome
    assert outcome is not None, response.text
    assert outcome.attrs["data-outcome"] == "failed"
    assert "<dt>Badge</dt>" not in response.text and "Expert" not in response.text
    assert "its signature could not be confirmed as the issuer's" in response.text


async def test_a_baked_vc_jwt_shows_its_badge(service: Service, validator_dir: Path) -> None:
    image = (validator_dir / "simple-jwt.png").read_bytes()
    assert service.documents is not None
    serve_issuer_of(service.documents, image)
    response = await post_form(service, image=("badge.png", image, "image/png"))
    assert "<dt>Badge</dt>" in response.text and "<dt>Issued by</dt>" in response.text
