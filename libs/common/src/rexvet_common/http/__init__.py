"""The shared FastAPI app factory: lifespan-driven bootstrap, problem details, telemetry, health endpoints."""

from rexvet_common.http.app import create_service_app, runtime_from

__all__ = ["create_service_app", "runtime_from"]
