"""HTTP edges of the wallet hand-off: the OpenID4VCI endpoints and the staff API that makes offers."""
