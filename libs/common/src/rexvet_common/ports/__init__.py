"""The ports: what the services need from the outside world. Each has one contract suite in tests/contract/."""
