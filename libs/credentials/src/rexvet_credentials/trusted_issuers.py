"""An in-memory TrustedIssuerRegistry (the CLI's `--trusted-issuer`, tests, small deployments)."""

from __future__ import annotations

from collections.abc import Iterable

from rexvet_credentials.ports import TrustedIssuer


class StaticTrustedIssuers:
    def __init__(self, issuers: Iterable[TrustedIssuer | str] = ()) -> None:
        self._by_id = {}
        for issuer in issuers:
            entry = TrustedIssuer(issuer) if isinstance(issuer, str) else issuer
            self._by_id[entry.id] = entry

    async def lookup(self, issuer_id: str) -> TrustedIssuer | None:
        return self._by_id.get(issuer_id)
