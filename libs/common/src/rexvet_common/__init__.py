"""Shared ports, adapters, events, auth and telemetry of the rexvet services."""
