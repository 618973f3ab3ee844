"""The coaching service."""
