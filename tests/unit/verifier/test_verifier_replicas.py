"""Two replicas of the verifier on one bus: a revocation consumed once by their consumer group still reaches the
status-list cache of each (the per-instance broadcast), so neither waits out the list's ttl."""

from __future__ import annotations

import json
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events import topics
from rexvet_common.events.envelope import new_event
from rexvet_credentials.offline_documents import PreloadedFetcher

from .credentials import LIST_URL, signed_list, with_status
from .harness import checks_by_id, eventually, verifier_service
from .test_trust_and_revocation_events import revoked_event

pytestmark = pytest.mark.unit


async def test_a_revocation_reaches_the_cache_of_every_replica(tmp_path: Path) -> None:
    log = tmp_path / "events.sqlite3"
    credential = with_status(index=7)
    async with AsyncExitStack() as stack:
        replicas = []
        for _ in range(2):
            documents = PreloadedFetcher()
            documents.add(LIST_URL, json.dumps(signed_list()).encode())
            bus = SqliteEventLog(log, poll_interval=0.02, lease_ttl=1.0, close_grace=0.2)
            replicas.append(await stack.enter_async_context(verifier_service(tmp_path, fetcher=documents, bus=bus)))
        for replica in replicas:  # each holds the verified list in its own memory
            assert (await replica.verify_json(credential))["outcome"] == "verified"
            assert replica.documents is not None
            replica.documents.add(LIST_URL, json.dumps(signed_list(revoked=(7,))).encode())
            assert (await replica.verify_json(credential))["outcome"] == "verified"  # still the cached list

        publisher = SqliteEventLog(log)
        revocation = new_event(
            type="org.rexvet.badge.revoked.v1", source="rexvet/issuer", key="omnia:s-1", data=revoked_event(LIST_URL)
        )
        await publisher.publish(topics.ISSUER, revocation)
        await publisher.close()

        for replica in replicas:

            async def revoked() -> bool:
                report = await replica.verify_json(credential)  # noqa: B023 (awaited within the iteration)
                return bool(checks_by_id(report)["status"]["code"] == "status_revoked")

            await eventually(revoked)
        # the trust registry's group still took the event once for both replicas
        lag = await replicas[0].bus.consumer_lag("verifier")
        assert lag[topics.ISSUER] == 0
