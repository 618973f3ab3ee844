"""The issuer's use cases: issuer records and keys, issued credentials, their status and the status lists."""
