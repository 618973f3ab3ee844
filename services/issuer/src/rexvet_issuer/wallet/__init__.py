"""Putting an issued badge into a holder's wallet: OpenID for Verifiable Credential Issuance 1.0 (pre-authorized
code flow) and the Learner Credential Wallet's VC-API exchange. domain/ holds the rules, application/ the use cases
with their storage, api/ the HTTP edges."""
