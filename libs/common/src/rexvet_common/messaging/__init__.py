"""Reliable messaging shared by every bus adapter: delivery with retries and dead letters, outbox, idempotency;
and by every service: its events into the outbox (`producer`), its consumers' dispatch (`handler_table`)."""
