"""The coaching service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

from dataclasses import dataclass

from rexvet_coaching.application.catalogue import FrameworkCatalogue
from rexvet_coaching.application.directory import PeopleDirectory
from rexvet_coaching.application.received_evidence import ReceivedEvidence
from rexvet_coaching.application.records import COLLECTION, StaffRecords
from rexvet_coaching.application.serialized import RecordLocks, SerializedWrites
from rexvet_coaching.application.service import Clock, CoachingService, system_clock
from rexvet_coaching.consumers.handlers import CONSUMED_TOPICS, CoachingConsumer
from rexvet_coaching.default_framework import DEFAULT_FRAMEWORK_FILE, load_default_framework, load_translations
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.auth.jwks import KeySource
from rexvet_common.messaging.outbox import OutboxRelay
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform


@dataclass
class CoachingContext:
    """The coaching service's own objects, reached by its API's dependencies through `runtime.context`."""

    received_evidence: ReceivedEvidence
    coaching: CoachingService
    directory: PeopleDirectory
    catalogue: FrameworkCatalogue
    consumer: CoachingConsumer
    relay: OutboxRelay


async def bootstrap(
    settings: CoachingSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    blobs: BlobStore | None = None,
    keys: KeySource | None = None,
    clock: Clock = system_clock,
) -> ServiceRuntime:
    # The framework file is checked before anything starts: a broken file stops the service with file, path, reason.
    framework_file = settings.framework_file or DEFAULT_FRAMEWORK_FILE
    default = load_default_framework(framework_file)
    translations = load_translations(default, framework_file)
    platform = bootstrap_platform(settings, bus=bus, documents=documents, blobs=blobs, keys=keys)
    received = ReceivedEvidence(platform.documents)
    await received.prepare()
    locks = RecordLocks()  # the relay's clearing writes and ours never race on one record (see serialized.py)
    relay = OutboxRelay(SerializedWrites(platform.documents, locks, COLLECTION), platform.bus, [COLLECTION])
    records = StaffRecords(platform.documents, on_emitted=relay.wake, locks=locks)
    await records.prepare()
    catalogue = FrameworkCatalogue(
        platform.documents, base_url=settings.base_url, default=default, translations=translations
    )
    await catalogue.prepare()
    directory = PeopleDirectory(platform.documents)
    await directory.prepare()
    coaching = CoachingService(records, catalogue, clock=clock, directory=directory)
    consumer = CoachingConsumer(records, received_evidence=received, directory=directory)
    platform.bus.subscribe(list(CONSUMED_TOPICS), settings.consumer_group, consumer.handle)
    return ServiceRuntime(
        platform,
        context=CoachingContext(
            received_evidence=received,
            coaching=coaching,
            directory=directory,
            catalogue=catalogue,
            consumer=consumer,
            relay=relay,
        ),
        consumer_groups=[settings.consumer_group],
        components=[relay],
    )
