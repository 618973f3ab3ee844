"""The verifier's use cases: verifying credentials and presentations, its trust registry, the status cache."""
