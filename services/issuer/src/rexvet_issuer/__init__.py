"""The issuer service."""
