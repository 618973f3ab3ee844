"""The portal's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from rexvet_common.auth.principal import ClaimNames
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_portal.adapters.coaching_client import CoachingClient
from rexvet_portal.adapters.directory_client import DirectoryClient
from rexvet_portal.adapters.evidence_client import EvidenceClient
from rexvet_portal.adapters.issuer_client import IssuerClient
from rexvet_portal.adapters.no_event_bus import NoEventBus
from rexvet_portal.adapters.oidc_client import OidcClient
from rexvet_portal.adapters.service_http import ServiceHttp
from rexvet_portal.adapters.session_store import DocumentSessionStore
from rexvet_portal.api.rendering import Pages
from rexvet_portal.application.coach_pages import CoacheePage, EvidencePage, QueuePage, SignOff
from rexvet_portal.application.pages import BadgePage, Enrol, LadderPage, MyBadgesPage, OfferToWallet
from rexvet_portal.application.pathway_pages import CompleteStep, PathwayPage, SelfAssessment, SubmitEvidence
from rexvet_portal.application.ports import Clock
from rexvet_portal.application.sign_in import SignIn
from rexvet_portal.settings import PortalSettings


@dataclass
class PortalContext:
    settings: PortalSettings
    sign_in: SignIn
    ladder: LadderPage
    badge: BadgePage
    enrol: Enrol
    my_badges: MyBadgesPage
    offer_to_wallet: OfferToWallet
    self_assessment: SelfAssessment
    pathway: PathwayPage
    complete_step: CompleteStep
    submit_evidence: SubmitEvidence
    coach_queue: QueuePage
    coachee: CoacheePage
    coach_evidence: EvidencePage
    sign_off: SignOff
    pages: Pages
    http: httpx.AsyncClient


class ClosingHttp:
    """Closes the shared HTTP client when the runtime stops (a runtime component)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self.http.aclose()


async def bootstrap(
    settings: PortalSettings,
    *,
    documents: DocumentStore | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = time.time,
) -> ServiceRuntime:
    """`transport` lets tests answer the services' and the provider's addresses in-process."""
    # The portal keeps no events: the platform kit gets a bus that refuses to be used.
    platform = bootstrap_platform(settings, bus=NoEventBus(), documents=documents)
    sessions = DocumentSessionStore(platform.documents)
    await sessions.prepare()
    # trust_env=False: the services are reached directly, never through a proxy set for the outside world.
    http = httpx.AsyncClient(transport=transport, timeout=settings.service_timeout_seconds, trust_env=False)
    coaching = CoachingClient(ServiceHttp("coaching", settings.coaching_url, http))
    directory = DirectoryClient(ServiceHttp("coaching", settings.coaching_url, http))  # coaching owns the directory
    issuer = IssuerClient(ServiceHttp("issuer", settings.issuer_url, http))
    evidence = EvidenceClient(ServiceHttp("evidence", settings.evidence_url, http))
    secret = settings.oidc_client_secret
    provider = OidcClient(
        discovery_url=settings.discovery_url,
        client_id=settings.oidc_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        redirect_uri=settings.callback_url,
        scopes=settings.oidc_scopes,
        transport=transport,
        timeout_seconds=settings.service_timeout_seconds,
        leeway_seconds=settings.platform.auth_leeway_seconds,
    )
    platform_settings = settings.platform
    sign_in = SignIn(
        provider,
        sessions,
        clock,
        session_ttl_seconds=settings.session_ttl_seconds,
        session_idle_seconds=settings.session_idle_seconds,
        claims=ClaimNames(
            sub=platform_settings.auth_claim_sub,
            tenant=platform_settings.auth_claim_tenant,
            roles=platform_settings.auth_claim_roles,
            scope=platform_settings.auth_claim_scope,
        ),
        name_claim=settings.oidc_claim_name,
        directory=directory,
    )
    context = PortalContext(
        settings=settings,
        sign_in=sign_in,
        ladder=LadderPage(coaching),
        badge=BadgePage(coaching, directory),
        enrol=Enrol(coaching),
        my_badges=MyBadgesPage(issuer, settings.verifier_url, coaching),
        offer_to_wallet=OfferToWallet(issuer),
        self_assessment=SelfAssessment(coaching),
        pathway=PathwayPage(coaching, evidence, settings.max_upload_bytes),
        complete_step=CompleteStep(coaching),
        submit_evidence=SubmitEvidence(coaching, evidence),
        coach_queue=QueuePage(coaching, evidence),
        coachee=CoacheePage(coaching, evidence),
        coach_evidence=EvidencePage(coaching, evidence),
        sign_off=SignOff(coaching),
        pages=Pages(),
        http=http,
    )
    return ServiceRuntime(platform, context=context, components=[ClosingHttp(http)])
