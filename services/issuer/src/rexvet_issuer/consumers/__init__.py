"""The issuer's consumer group: a table from each event type it reads to its handler."""
