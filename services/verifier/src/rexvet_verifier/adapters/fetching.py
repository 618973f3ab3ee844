"""What the verifier may fetch on behalf of a credential: one guarded fetcher, its policy chosen by settings.

Production: https only, globally routable addresses only (the library's defaults). Development (`make run`):
additionally plain http and loopback addresses, because the platform's own issuer serves issuer profiles and
status lists on http://127.0.0.1:8003 there. Private ranges (10/8, 192.168/16...), link-local and cloud metadata
addresses stay refused in both: only this machine's own loopback is opened, and only outside production
(`VerifierSettings.production_problems` refuses to start otherwise).
"""

from __future__ import annotations

import ipaddress

from rexvet_credentials.fetch_policy import FetchPolicy
from rexvet_verifier.settings import VerifierSettings

LOOPBACK_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def fetch_policy(settings: VerifierSettings) -> FetchPolicy:
    if settings.loopback_fetch_allowed:
        return FetchPolicy(allow_http=True, allowed_networks=LOOPBACK_NETWORKS)
    return FetchPolicy()
