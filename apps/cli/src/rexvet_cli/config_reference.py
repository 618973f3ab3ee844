"""The platform's configuration reference: every service's settings, in the order the README lists them.

`python -m rexvet_cli.config_reference` prints it; `make readme` writes it into the README.
"""

from __future__ import annotations

from rexvet_coaching.settings import CoachingSettings
from rexvet_common.settings import ServiceSettings
from rexvet_common.wiring import config_reference
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.settings import IssuerSettings
from rexvet_portal.settings import PortalSettings
from rexvet_verifier.settings import VerifierSettings

SERVICE_SETTINGS: tuple[type[ServiceSettings], ...] = (
    EvidenceSettings,
    CoachingSettings,
    IssuerSettings,
    VerifierSettings,
    PortalSettings,
)


def reference_markdown() -> str:
    return config_reference.reference_markdown(SERVICE_SETTINGS)


if __name__ == "__main__":
    print(reference_markdown())
