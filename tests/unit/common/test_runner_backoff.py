"""`make run`'s restart delay: doubling with each quick crash, capped, and forgiven after a stable run."""

from __future__ import annotations

import pytest

from rexvet_common.supervision import RestartBackoff

pytestmark = pytest.mark.unit


def test_quick_crashes_double_the_delay_up_to_the_ceiling() -> None:
    backoff = RestartBackoff(first_seconds=1.0, ceiling_seconds=30.0, stable_after_seconds=60.0)
    assert [backoff.after_crash(uptime_seconds=2.0) for _ in range(7)] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_a_service_that_stayed_up_is_restarted_after_the_first_delay_again() -> None:
    backoff = RestartBackoff(first_seconds=1.0, ceiling_seconds=30.0, stable_after_seconds=60.0)
    for _ in range(4):
        backoff.after_crash(uptime_seconds=0.5)
    assert backoff.after_crash(uptime_seconds=60.0) == 1.0
    assert backoff.after_crash(uptime_seconds=3.0) == 2.0
