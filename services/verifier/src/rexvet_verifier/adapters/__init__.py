"""The verifier's own adapters: the guarded, deadline-bound, shared fetcher; its caches; the CPU work pool."""
