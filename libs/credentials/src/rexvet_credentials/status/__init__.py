"""Credential status: W3C Bitstring Status List (issue and check) and the deprecated 1EdTechRevocationList."""
