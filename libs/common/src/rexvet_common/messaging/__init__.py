"""Reliable messaging shared by every bus adapter: delivery with retries and dead letters, outbox, idempotency."""
