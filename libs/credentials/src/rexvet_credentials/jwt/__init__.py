"""VC-JWT (VC-JOSE-COSE and the OB 3.0 profile): sign and verify credentials as compact JWS."""
