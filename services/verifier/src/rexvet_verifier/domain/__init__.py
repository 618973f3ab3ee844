"""The verifier's own rules about what it is shown: the presented input's forms and a credential's summary."""
