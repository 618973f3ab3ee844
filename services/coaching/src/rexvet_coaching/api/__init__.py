"""The coaching HTTP API: routers, their dependencies, and domain errors as RFC 9457 problems."""
