"""The walking skeleton of `make run` across the four service processes on the real engines: Kafka for events,
FerretDB for every service's documents, the S3 server for evidence files (`make infra-up`)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))  # the e2e test's walk through the skeleton

from contract.real_engines import (
    KAFKA_BOOTSTRAP,
    MONGO_URL,
    S3_ACCESS_KEY,
    S3_ENDPOINT,
    S3_REGION,
    S3_SECRET_KEY,
    S3_SECURE,
    require_kafka,
    require_mongo,
    require_s3,
)
from test_make_run import walk_the_skeleton

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.timeout(900)]


def test_make_run_on_kafka_ferretdb_and_s3_serves_the_walking_skeleton(repo_root: Path, tmp_path: Path) -> None:
    require_kafka()
    require_mongo()
    require_s3()
    # Topics, groups, databases and buckets of this run only: earlier runs' (or a colleague's) data cannot answer for
    # it, nor a consumer of another run take its events.
    run = uuid.uuid4().hex[:8]
    walk_the_skeleton(
        repo_root,
        tmp_path,
        backends={
            "REXVET_BUS": "kafka",
            "REXVET_DOCUMENTS": "mongo",
            "REXVET_BLOBS": "s3",
            "REXVET_KAFKA_BOOTSTRAP_SERVERS": KAFKA_BOOTSTRAP,
            "REXVET_KAFKA_NAMESPACE": f"e2e-{run}.",
            "REXVET_MONGO_URL": MONGO_URL,
            "REXVET_MONGO_DATABASE_PREFIX": f"rexvet_e2e_{run}_",
            "REXVET_S3_ENDPOINT": S3_ENDPOINT,
            "REXVET_S3_ACCESS_KEY": S3_ACCESS_KEY,
            "REXVET_S3_SECRET_KEY": S3_SECRET_KEY,
            "REXVET_S3_REGION": S3_REGION,
            "REXVET_S3_SECURE": "true" if S3_SECURE else "false",
            "REXVET_S3_BUCKET_PREFIX": f"rexvet-e2e-{run}-",
        },
    )
