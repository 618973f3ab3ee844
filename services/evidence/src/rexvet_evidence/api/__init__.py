"""The evidence service's HTTP API: its routers, request and response models, and their dependencies."""
