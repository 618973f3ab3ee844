"""The verifier's HTTP entry points: the JSON API, the W3C VC-API route and the public pages."""
