"""Where the real engines of the integration tier listen: the local servers of `make infra-up` by default.

The same variables as the services read (`scripts/infra/infra.sh env` prints them), so the suites can be pointed at
other servers. A server that does not answer fails the test with the command to run, rather than skipping it.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

KAFKA_BOOTSTRAP = os.environ.get("REXVET_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MONGO_URL = os.environ.get("REXVET_MONGO_URL", "mongodb://127.0.0.1:27017/")
S3_ENDPOINT = os.environ.get("REXVET_S3_ENDPOINT", "127.0.0.1:9000")
S3_ACCESS_KEY = os.environ.get("REXVET_S3_ACCESS_KEY", "rexvet-local")
S3_SECRET_KEY = os.environ.get("REXVET_S3_SECRET_KEY", "rexvet-local-secret")
S3_REGION = os.environ.get("REXVET_S3_REGION", "us-east-1")
S3_SECURE = os.environ.get("REXVET_S3_SECURE", "false").lower() in ("1", "true", "yes")
TEST_DATABASE = "rexvet_contract"


def _host_port(address: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(address if "//" in address else f"//{address}")
    return parts.hostname or "127.0.0.1", parts.port or default_port


def require_server(name: str, address: str, default_port: int) -> None:
    host, port = _host_port(address.split(",")[0], default_port)
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        pytest.fail(f"{name} is not reachable at {host}:{port} ({exc}); start the local servers with `make infra-up`")


def require_kafka() -> None:
    require_server("Kafka", KAFKA_BOOTSTRAP, 9092)


def require_mongo() -> None:
    require_server("the MongoDB-wire database", MONGO_URL.split("@")[-1], 27017)


def require_s3() -> None:
    require_server("the S3 server", S3_ENDPOINT, 9000)
