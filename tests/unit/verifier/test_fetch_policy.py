"""What the verifier may fetch: loopback over http in development only (the issuer of `make run` on 127.0.0.1:8003),
never private ranges, and production refuses to start when told otherwise."""

from __future__ import annotations

import ipaddress

import pytest

from rexvet_common.errors import ConfigurationError
from rexvet_common.settings import Environment, PlatformSettings
from rexvet_credentials.fetch_policy import address_refusal
from rexvet_verifier.adapters.fetching import fetch_policy
from rexvet_verifier.settings import VerifierSettings, load_verifier_settings

pytestmark = pytest.mark.unit


def settings(env: Environment, **values: object) -> VerifierSettings:
    return VerifierSettings(platform=PlatformSettings(env=env), **values)  # type: ignore[arg-type]


def test_development_reaches_loopback_over_http_but_no_private_range() -> None:
    policy = fetch_policy(settings(Environment.DEVELOPMENT))
    assert "http" in policy.allowed_schemes()
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), policy) is None
    assert address_refusal(ipaddress.ip_address("::1"), policy) is None
    for private in ("10.0.0.8", "192.168.1.10", "172.16.0.1", "169.254.169.254", "fd00::1"):
        assert address_refusal(ipaddress.ip_address(private), policy) is not None, private


def test_production_is_https_and_public_addresses_only() -> None:
    policy = fetch_policy(settings(Environment.PRODUCTION))
    assert policy.allowed_schemes() == frozenset({"https"})
    refusal = address_refusal(ipaddress.ip_address("127.0.0.1"), policy)
    assert refusal is not None and refusal[0] == "fetch_refused_loopback_address"
    assert address_refusal(ipaddress.ip_address("93.184.215.14"), policy) is None


def test_development_can_turn_loopback_off() -> None:
    policy = fetch_policy(settings(Environment.DEVELOPMENT, allow_loopback_fetch=False))
    assert policy.allowed_schemes() == frozenset({"https"})
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), policy) is not None


def test_production_refuses_to_start_with_loopback_fetching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    monkeypatch.setenv("REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH", "true")
    with pytest.raises(ConfigurationError, match="REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH"):
        load_verifier_settings()
    monkeypatch.delenv("REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH")
    assert load_verifier_settings().loopback_fetch_allowed is False
