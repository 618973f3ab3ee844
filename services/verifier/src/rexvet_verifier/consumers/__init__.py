"""The verifier's subscriptions to the issuer's events: its trust registry and its caches kept current."""
