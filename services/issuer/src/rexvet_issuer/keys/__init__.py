"""Issuers' signing keys: generated here, stored encrypted, never leaving the issuer."""
