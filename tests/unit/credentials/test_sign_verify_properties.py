"""Properties of sign and verify on generated credentials: what is signed verifies; any change to a signed
value is caught."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from credentials.test_jsonld_differential import credentials
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.errors import SigningError
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.report import Outcome
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.verify import verify_credential_sync

pytestmark = pytest.mark.unit

KEY = Ed25519SigningKey.generate()


def _string_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [
            p for k, v in value.items() if k not in ("@context", "id", "type") for p in _string_leaves(v, (*path, k))
        ]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _string_leaves(v, (*path, i))]
    return []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(credentials(), st.data())
def test_signed_credentials_verify_and_changes_are_caught(credential: dict[str, Any], data: st.DataObject) -> None:
    from datetime import UTC, datetime

    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    credential = copy.deepcopy(credential)
    issuer = credential["issuer"]
    if isinstance(issuer, dict):
        issuer["id"] = KEY.controller
    else:
        credential["issuer"] = KEY.controller
    try:
        signed = sign_credential(credential, KEY)
    except SigningError:
        assume(False)  # the generator also makes invalid credentials: those are refused before signing
        return
    report = verify_credential_sync(json.dumps(signed).encode(), clock=clock)
    # everything that depends on the signature holds; structure may fail for generated oddities
    assert report.check("contexts").outcome.value == "passed"
    assert report.check("proof").code == "signature_valid"
    assert report.check("key_binding").code == "key_bound_to_issuer"

    leaves = [p for p in _string_leaves(signed) if p[0] != "proof"]
    assume(leaves)
    path = data.draw(st.sampled_from(leaves))
    target: Any = signed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = target[path[-1]] + "!"
    changed = verify_credential_sync(json.dumps(signed).encode(), clock=clock)
    assert changed.outcome is Outcome.FAILED
    assert changed.check("proof").code in {"signature_invalid", "proof_malformed"} or any(
        c.outcome.value == "failed" for c in changed.checks[:3]
    )
