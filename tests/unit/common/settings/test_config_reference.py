"""The configuration reference is generated from the settings classes, so every variable is in it."""

from __future__ import annotations

import pytest

from rexvet_cli.config_reference import reference_markdown
from rexvet_common.settings import PLATFORM_PREFIX, PlatformSettings
from rexvet_common.wiring.config_reference import rows
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.settings import IssuerSettings
from rexvet_verifier.settings import VerifierSettings

pytestmark = pytest.mark.unit


def test_every_platform_variable_is_listed_with_its_default() -> None:
    reference = reference_markdown()
    for name in PlatformSettings.model_fields:
        assert f"`{PLATFORM_PREFIX}{name.upper()}`" in reference
    assert "| `REXVET_BUS` | `embedded` |" in reference
    assert "| `REXVET_EVIDENCE_PORT` | `8001` |" in reference
    assert "| `REXVET_ISSUER_PORT` | `8003` |" in reference
    assert "REXVET_COACHING_PORT" in reference


@pytest.mark.parametrize(
    ("cls", "prefix"),
    [
        (PlatformSettings, "REXVET_"),
        (EvidenceSettings, "REXVET_EVIDENCE_"),
        (IssuerSettings, "REXVET_ISSUER_"),
        (VerifierSettings, "REXVET_VERIFIER_"),
    ],
)
def test_every_variable_says_what_it_is_for(cls: type, prefix: str) -> None:
    undocumented = [name for name, _, description in rows(cls, prefix) if not description]
    assert undocumented == []
