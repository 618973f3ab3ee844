"""The verifier's use case: verify presented bytes with the service's ports and describe the report for callers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rexvet_credentials.baking.common import is_image
from rexvet_credentials.baking.presented import unbaked, verify_presented
from rexvet_credentials.document_loader import DEFAULT_LOADER
from rexvet_credentials.ports import Clock, DocumentFetcher, KeyResolver, StatusChecker, TrustedIssuerRegistry
from rexvet_credentials.prepare import Prepared, prepare
from rexvet_credentials.report import VerificationReport
from rexvet_credentials.verification_cache import PreparedCache, VerificationCache
from rexvet_verifier.adapters.deadline import verification_deadline
from rexvet_verifier.adapters.work_pool import WorkPool

# What a credential's own URL may answer with (hosted JSON, a VC-JWT, a baked image), best first.
CREDENTIAL_MEDIA_TYPES = (
    "application/vc+ld+json, application/vc+jwt, application/vc, application/ld+json;q=0.9, "
    "application/json;q=0.8, image/png;q=0.7, image/svg+xml;q=0.7, application/jwt;q=0.6, text/plain;q=0.5"
)

# Inputs from this size on are prepared in the work pool whatever their shape: about 0.3 s of CPU per MB of
# credential would otherwise stall every other request (health checks included) on the event loop.
OFF_LOOP_BYTES = 128 * 1024
# Below that, the work estimate decides (see `work_estimate`): 124 KB of nested objects is 6,200 blank nodes.
DEFAULT_HEAVY_WORK = 400


def work_estimate(text: bytes) -> int:
    """How much canonicalising `text` costs, roughly: its JSON objects (each one without an id is a blank node) and
    its members (each one a quad or more). Counted on the bytes (C speed), never parsed: a brace or a comma inside a
    string only makes the estimate higher, so the error is on the side of the pool."""
    return text.count(b"{") + text.count(b",")


@dataclass
class CredentialVerifier:
    """One per process: its caches (prepared credentials, key documents, status lists) serve every request."""

    clock: Clock
    key_resolver: KeyResolver
    status_checker: StatusChecker
    trusted_issuers: TrustedIssuerRegistry
    cache: PreparedCache
    fetcher: DocumentFetcher
    pool: WorkPool
    deadline_seconds: float = 8.0
    heavy_work: int = DEFAULT_HEAVY_WORK

    async def fetch_presented(self, url: str) -> bytes:
        """The document at `url`, through the guarded fetcher (FetchError when refused or unreachable)."""
        return (await self.fetcher.fetch(url, accept=CREDENTIAL_MEDIA_TYPES)).content

    def is_heavy(self, presented: bytes) -> bool:
        """Whether reading or preparing `presented` belongs in the work pool: an image, a large or busy input."""
        return is_image(presented) or len(presented) >= OFF_LOOP_BYTES or work_estimate(presented) >= self.heavy_work

    async def verify(self, presented: bytes) -> VerificationReport:
        """Never raises for a bad credential: every outcome is in the report. Every fetch it makes (keys, status
        lists and their keys) shares one deadline: `deadline_seconds` from now."""
        if is_image(presented):
            text = await self.pool.run(unbaked, presented)
            if isinstance(text, VerificationReport):
                return text  # an image that carries no credential to verify: nothing to fetch
            presented = text
        cache = await self._prepared_in_pool(presented) if self.is_heavy(presented) else self.cache
        with verification_deadline(self.deadline_seconds):
            return await verify_presented(
                presented,
                clock=self.clock,
                key_resolver=self.key_resolver,
                status_checker=self.status_checker,
                trusted_issuers=self.trusted_issuers,
                cache=cache,
            )

    async def _prepared_in_pool(self, presented: bytes) -> PreparedCache:
        """A cache holding the byte-dependent work (parse, JSON-LD, canonical hashes), computed in the pool.

        `verify_presented` then finds it there: it keys the cache by the stripped JSON text, the baked one for an
        image. The shared cache may decline to keep a large entry, so this request gets one of its own. A VC-JWT is
        prepared by its own verifier, uncached, on the loop.
        """
        text = _json_text(presented)
        if text is None or self.cache.get(text) is not None:
            return self.cache
        prepared = await self.pool.run(prepare_credential, text)
        self.cache.put(text, prepared)
        this_request = VerificationCache(max_entries=1)
        this_request.put(text, prepared)
        return this_request


def prepare_credential(text: bytes) -> Prepared:
    """The pool's job (module level, so a worker process can import it)."""
    return prepare(text, DEFAULT_LOADER)


def _json_text(presented: bytes) -> bytes | None:
    stripped = presented.strip()
    return stripped if stripped.startswith(b"{") else None


def warnings_of(report: VerificationReport) -> list[dict[str, str]]:
    """What a caller should know although it does not decide the outcome: an unregistered issuer, undefined terms."""
    found = [{"check": c.id, "code": c.code, "message": c.message} for c in report.warnings]
    if report.undefined_terms:
        found.append(
            {
                "check": "contexts",
                "code": "undefined_terms",
                "message": "the credential declares terms that no context defines (undefined-terms/v2): "
                + ", ".join(report.undefined_terms),
            }
        )
    return found


def report_body(report: VerificationReport) -> dict[str, Any]:
    """The full report as JSON: outcome, every check (id, outcome, code, message, severity), warnings."""
    return {**report.to_dict(), "verified": report.verified, "warnings": warnings_of(report)}
