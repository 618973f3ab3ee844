"""`/docs`: Swagger UI served by the service itself, from the pinned `swagger-ui-bundle-v2` wheel.

FastAPI's own `/docs` loads Swagger UI from a CDN, so without internet access the page is blank. Here the page, its
script, its style sheet and the tiny start-up script are all same-origin, and the page has no inline script, so it
works offline and under a strict Content-Security-Policy. `/redoc` is not served: no well-kept Python package ships
ReDoc without another web framework, and Swagger UI already renders the same OpenAPI document.
"""

from __future__ import annotations

import html
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from rexvet_common.problems import NotFound

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
START_SCRIPT = Path(__file__).with_name("swagger_start.js")

# What the page needs from the bundle, by the name it is served under, with its media type.
BUNDLE_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
START_ASSET = "swagger-start.js"

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def swagger_ui_dir() -> Traversable:
    """The bundle's one `vendor/swagger-ui-<version>` folder (the version is the wheel's, pinned in pyproject)."""
    vendor = resources.files("swagger_ui_bundle") / "vendor"
    folders = [entry for entry in vendor.iterdir() if entry.is_dir() and entry.name.startswith("swagger-ui-")]
    if len(folders) != 1:
        raise RuntimeError(f"swagger-ui-bundle-v2 should ship one swagger-ui folder, found {len(folders)}")
    return folders[0]


def docs_page(*, title: str, root_path: str, openapi_url: str) -> str:
    """The page: same-origin links only; the start-up script reads the OpenAPI URL from a data attribute."""
    base = html.escape(root_path.rstrip("/") + ASSETS_PATH, quote=True)
    spec = html.escape(root_path.rstrip("/") + openapi_url, quote=True)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - API documentation</title>
<link rel="icon" type="image/png" href="{base}/favicon-32x32.png">
<link rel="stylesheet" href="{base}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{spec}"></div>
<script src="{base}/swagger-ui-bundle.js"></script>
<script src="{base}/{START_ASSET}"></script>
</body>
</html>
"""


def install_offline_docs(app: FastAPI) -> None:
    """Serve `/docs` and its assets; the app must be built with `docs_url=None, redoc_url=None`."""
    bundle = swagger_ui_dir()
    assets: dict[str, tuple[bytes, str]] = {
        name: ((bundle / name).read_bytes(), media_type) for name, media_type in BUNDLE_ASSETS.items()
    }
    assets[START_ASSET] = (START_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        page = docs_page(title=app.title, root_path=request.scope.get("root_path", ""), openapi_url=openapi_url)
        return HTMLResponse(page, headers={"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-cache"})

    @app.get(ASSETS_PATH + "/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> Response:
        if name not in assets:
            raise NotFound(f"no documentation asset {name!r}; the page uses {', '.join(sorted(assets))}")
        content, media_type = assets[name]
        # The bundle's version is pinned: a day's caching costs nothing and spares 1.5 MB per visit.
        return Response(
            content,
            media_type=media_type,
            headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
        )
