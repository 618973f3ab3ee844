"""The verifiable-credentials engine: Open Badges 3.0 models, JSON-LD, Data Integrity, VC-JWT, status."""
