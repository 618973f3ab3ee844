"""The wallet hand-off's use cases and their storage (offers, nonces, issuances, the rate limiter)."""
