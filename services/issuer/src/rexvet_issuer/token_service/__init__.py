"""The embedded OAuth 2.0 token service: client-credentials grant, discovery document, JWKS.

It is the default identity provider of `make run`; a deployment may point `REXVET_AUTH_ISSUER` at the institution's
own OpenID provider instead, and every service verifies tokens the same way either way.
"""
