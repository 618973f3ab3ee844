"""The issuer's HTTP API: its routers (rexvet's own, the OB 3.0 REST API, the VC-API), their models and dependencies."""
