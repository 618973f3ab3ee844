"""The issuer's own adapters: its signing keys sealed at rest under a key-encryption key (`key_vault.py`)."""
