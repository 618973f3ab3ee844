"""The Learner Credential Wallet's hand-off: a VC-API exchange with DIDAuth (DCC's workflow, VC-API "exchanges").

1. The wallet opens the deep link (`https://lcw.app/request.html?request={...}` or `dccrequest://request?...`,
   whose `protocols.vcapi` is the exchange URL) and POSTs `{}` to the exchange URL.
2. The issuer answers a Verifiable Presentation Request: a `DIDAuthentication` query, a `challenge`, a `domain`,
   and the exchange URL as the service to answer at.
3. The wallet POSTs `{"verifiablePresentation": ...}`: a presentation whose `holder` is its DID, signed by that
   DID's key with proof purpose `authentication` over the challenge and domain.
4. The issuer checks the proof and answers `{"verifiablePresentation": {"verifiableCredential": [badge]}}`, the
   badge bound to that DID. A wallet that skips step 1-2 (DCC's "direct" deep link) posts step 3 at once.

The exchange is the offer's record (domain/offer.py): its id is the exchange id, its challenge is stored with it,
and answering it spends the offer. An offer with a tx_code has no exchange (the wallet could not send the code).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from rexvet_credentials.data_integrity import check_proof_shape, hash_data, signature_valid
from rexvet_credentials.did_key import resolve_did_key
from rexvet_credentials.errors import CanonicalizationError, DocumentLoaderError, KeyResolutionError
from rexvet_credentials.jwt.jwk import public_jwk
from rexvet_issuer.wallet.domain.proof import HolderKey

LCW_UNIVERSAL_LINK = "https://lcw.app/request.html"
DCC_REQUEST_SCHEME = "dccrequest://request"
VPR_SERVICE = "UnmediatedPresentationService2021"


class ExchangeRefused(ValueError):
    """The presentation does not prove control of a DID for this exchange; the message says what is wrong."""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def deep_links(exchange_url: str) -> dict[str, str]:
    """The links LCW opens: its universal link and DCC's custom scheme, both carrying the VC-API exchange."""
    request = json.dumps(
        {"credentialRequestOrigin": origin_of(exchange_url), "protocols": {"vcapi": exchange_url}},
        separators=(",", ":"),
    )
    encoded = quote(request, safe="")
    return {
        "lcw_link": f"{LCW_UNIVERSAL_LINK}?request={encoded}",
        "dcc_request_link": f"{DCC_REQUEST_SCHEME}?request={encoded}",
    }


def presentation_request(exchange_url: str, challenge: str, domain: str) -> dict[str, Any]:
    return {
        "verifiablePresentationRequest": {
            "query": [{"type": "DIDAuthentication", "acceptedMethods": [{"method": "key"}]}],
            "challenge": challenge,
            "domain": domain,
            "interact": {"service": [{"type": VPR_SERVICE, "serviceEndpoint": exchange_url}]},
        }
    }


def authenticated_holder(presentation: Any, *, challenge: str, domain: str) -> HolderKey:
    """The DID (and key) that signed `presentation` for this exchange (a did:key), or ExchangeRefused.

    Canonicalises the presentation (CPU-bound): the caller runs it off the event loop.
    """
    if not isinstance(presentation, Mapping):
        raise ExchangeRefused("verifiablePresentation must be a JSON object")
    types = presentation.get("type")
    if "VerifiablePresentation" not in (types if isinstance(types, list) else [types]):
        raise ExchangeRefused("the presentation's type must include VerifiablePresentation")
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
    if not isinstance(holder_id, str) or not holder_id.startswith("did:key:"):
        raise ExchangeRefused("the presentation's holder must be the wallet's did:key (acceptedMethods: key)")
    proof = presentation.get("proof")
    problem = check_proof_shape(proof, expected_purpose="authentication")
    if problem is not None:
        raise ExchangeRefused(f"the presentation's proof: {problem.message}")
    assert isinstance(proof, Mapping)
    if proof.get("challenge") != challenge:
        raise ExchangeRefused("the proof's challenge is not this exchange's: answer the presentation request")
    if proof.get("domain") != domain:
        raise ExchangeRefused(f"the proof's domain must be {domain!r}")
    try:
        key = resolve_did_key(proof["verificationMethod"])
    except KeyResolutionError as bad:
        raise ExchangeRefused(f"the proof's verificationMethod: {bad}") from bad
    if key.controller != holder_id:
        raise ExchangeRefused("the proof is signed by a key of another DID than the holder's")
    try:
        signed = hash_data(presentation, proof)
    except (CanonicalizationError, DocumentLoaderError) as bad:
        raise ExchangeRefused(f"the presentation cannot be canonicalised: {bad}") from bad
    if not signature_valid(signed, proof, key.public_key):
        raise ExchangeRefused("the presentation's signature does not verify with the holder's key")
    return HolderKey(holder_id, key.id, public_jwk(key.public_key))
