"""The issuer's domain: profiles and credentials as Open Badges 3.0 JSON, free of frameworks and I/O."""
