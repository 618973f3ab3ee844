"""REXVET_KAFKA_SSL_CAFILE: a cluster with its own CA (Strimzi's cluster CA) is trusted through it."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rexvet_common.adapters.kafka_event_bus import KafkaSettings
from rexvet_common.settings import PlatformSettings, ServiceSettings
from rexvet_common.wiring.backends import build_event_bus

pytestmark = pytest.mark.unit


def a_ca(path: Path, name: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def trusted_names(settings: ServiceSettings) -> list[str]:
    bus: Any = build_event_bus(settings)
    context = bus._connection["ssl_context"]
    return [dict(item[0] for item in ca["subject"]).get("commonName", "") for ca in context.get_ca_certs()]


def test_the_configured_ca_is_what_the_kafka_client_trusts(tmp_path: Path) -> None:
    ca = tmp_path / "cluster-ca.crt"
    a_ca(ca, "rexvet-test-cluster-ca")
    kafka = KafkaSettings(bootstrap_servers="kafka:9093", security_protocol="SSL", ssl_cafile=ca)
    settings = ServiceSettings(platform=PlatformSettings(bus="kafka"), backends={"bus": kafka})
    assert trusted_names(settings) == ["rexvet-test-cluster-ca"]
