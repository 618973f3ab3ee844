"""The verifier on arbitrary input: never an exception, always a report (and never `verified`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.models import parse_credential
from rexvet_credentials.report import CHECK_IDS, Outcome
from rexvet_credentials.verify import verify_credential_sync

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(
    ["@context", "id", "type", "issuer", "validFrom", "validUntil", "credentialSubject", "proof", "credentialStatus"]
)


def _check(data: Any) -> None:
    report = verify_credential_sync(data, clock=CLOCK)
    assert [c.id for c in report.checks] == list(CHECK_IDS)
    assert report.outcome is not Outcome.VERIFIED
    json.dumps(report.to_dict())  # the report itself always serialises


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    _check(json.dumps(value).encode())
    parse_credential(value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(keys, json_values, max_size=5))
def test_credential_with_arbitrary_values(signed: dict[str, Any], replacements: dict[str, Any]) -> None:
    _check(json.dumps({**signed, **replacements}).encode() if replacements else b"{}")


def test_deeply_nested_input_is_a_parse_failure() -> None:
    data = "[" * 100_000 + "]" * 100_000
    report = verify_credential_sync(data, clock=CLOCK)
    assert report.check("parse").outcome.value == "failed"
