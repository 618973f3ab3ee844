"""The composition root's parts: building the configured adapters and running a service's background work."""

from rexvet_common.wiring.bootstrap import Platform, bootstrap_platform
from rexvet_common.wiring.runtime import ServiceRuntime

__all__ = ["Platform", "ServiceRuntime", "bootstrap_platform"]
