"""`/docs` works without internet on every service: the page and everything it loads come from the service."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rexvet_common.http.docs import docs_page

from .conftest import JsonEndpoint

REFERENCE = re.compile(r"""\b(?:src|href|data-openapi-url)="([^"]*)\"""")
EXPECTED_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".json": "application/json"}


def references(page: str) -> list[str]:
    return REFERENCE.findall(page)


async def test_docs_page_loads_only_same_origin_assets_and_each_is_served(endpoint: JsonEndpoint) -> None:
    client = endpoint.client
    page = await client.get("/docs")
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    urls = references(page.text)
    # The page needs Swagger UI's script and style sheet, the start-up script and the service's OpenAPI document.
    assert {urlsplit(url).path.rsplit("/", 1)[-1] for url in urls} >= {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-start.js",
        "openapi.json",
    }, urls
    assert "<script>" not in page.text, "no inline script: the page works under a strict Content-Security-Policy"
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), f"{url} is not same-origin"
        asset = await client.get(url)
        assert asset.status_code == 200, (url, asset.status_code)
        suffix = "." + url.rsplit(".", 1)[-1]
        assert asset.headers["content-type"].startswith(EXPECTED_TYPES[suffix]), (url, asset.headers)
        assert asset.content, url
    script = (await client.get(next(url for url in urls if url.endswith("swagger-ui-bundle.js")))).text
    assert "SwaggerUIBundle" in script


async def test_the_docs_page_is_not_in_the_openapi_document_and_redoc_is_off(endpoint: JsonEndpoint) -> None:
    document = (await endpoint.client.get("/openapi.json")).json()
    assert not [path for path in document["paths"] if path.startswith("/docs")]
    assert (await endpoint.client.get("/redoc")).status_code == 404


async def test_an_unknown_docs_asset_is_a_404_problem(endpoint: JsonEndpoint) -> None:
    response = await endpoint.client.get("/docs/assets/index.html")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "swagger-ui-bundle.js" in response.json()["detail"]


def test_behind_a_root_path_every_reference_keeps_the_prefix_and_none_leaves_the_origin() -> None:
    page = docs_page(title="rexvet evidence", root_path="/evidence", openapi_url="/openapi.json")
    assert "http" not in page
    assert references(page) and all(url.startswith("/evidence/") for url in references(page)), references(page)
