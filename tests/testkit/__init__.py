"""Helpers every tier's tests share (import as `testkit.<module>`; tests/ is on the path through its conftest).

One copy of each: waiting for asynchronous effects (`waiting`), checking RFC 9457 answers (`problems`), the checks
of a consumer table from event type to handler (`consumer_tables`). A helper that two test folders need moves here
instead of being copied.
"""
