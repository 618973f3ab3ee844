"""The verifier served by uvicorn on a free port of 127.0.0.1 for the browser, on its embedded adapters, offline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from rexvet_common.settings import PlatformSettings
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.offline_documents import PreloadedFetcher
from rexvet_verifier.app import create_app
from rexvet_verifier.settings import VerifierSettings

from ..live_server import live_server
from .credentials import NOW, verified_text

PUBLISHED_AT = "https://badges.rexvet.example/credentials/abroad-rookie.json"


@dataclass(frozen=True)
class Verifier:
    url: str
    published_credential_url: str  # where the verifier's (offline) fetcher finds a verifiable credential


@pytest.fixture(scope="module")
def verifier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Verifier]:
    documents = PreloadedFetcher({PUBLISHED_AT: verified_text().encode()})
    settings = VerifierSettings(platform=PlatformSettings(data_dir=tmp_path_factory.mktemp("verifier") / "var"))
    with live_server(create_app(settings, fetcher=documents, clock=FixedClock(NOW))) as url:
        yield Verifier(url=url, published_credential_url=PUBLISHED_AT)
