"""Coaching's consumer group: a table from each event type it reads to its handler (`handlers.HANDLERS`)."""
