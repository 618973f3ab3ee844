"""A credential offer's life: made by the badge's owner, redeemed once at the token endpoint, spent by one issuance.

  offered --(token request with the pre-authorized code [and tx_code])--> redeemed --(credential request)--> issued
  offered --(a DIDAuth presentation at the VC-API exchange)--> issued
  offered --(a newer offer for the same badge)--> superseded
  offered --(expires_at passes, or too many wrong tx_codes)--> refused for good

Secrets are kept as SHA-256 digests only: the pre-authorized code (looked up by its digest), the tx_code and the
access token. The code itself is kept, beside its digest, only while the offer waits to be fetched by reference;
redeeming drops it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rexvet_issuer.wallet.domain.errors import INVALID_GRANT, INVALID_REQUEST, INVALID_TOKEN, WalletRefusal

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
TX_CODE_LENGTH = 6
MAX_TX_CODE_FAILURES = 5  # then the offer is burnt: a six-digit code must not be guessable by retrying


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_tx_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(TX_CODE_LENGTH))


@dataclass(frozen=True)
class NewOffer:
    """What the staff member is shown once: the record to store and the secrets it keeps only as digests."""

    record: dict[str, Any]
    tx_code: str | None


def new_offer(
    *,
    institution: str,
    staff_id: str,
    credential_uuid: str,
    configuration_ids: list[str],
    now: datetime,
    ttl: timedelta,
    with_tx_code: bool,
) -> NewOffer:
    code = new_secret()
    tx_code = new_tx_code() if with_tx_code else None
    record = {
        "_id": secrets.token_urlsafe(24),
        "institution": institution,
        "staff_id": staff_id,
        "credential_uuid": credential_uuid,
        "configuration_ids": list(configuration_ids),
        "created_at": now.isoformat(),
        "expires_at": (now + ttl).isoformat(),
        "state": "offered",
        "code": code,
        "code_hash": digest(code),
        "tx_code_hash": digest(tx_code) if tx_code else None,
        "tx_failures": 0,
        # the VC-API exchange's DIDAuth challenge; no exchange when a tx_code is asked for (domain/exchange.py)
        "challenge": None if with_tx_code else secrets.token_urlsafe(24),
        "token_hash": None,
        "token_expires_at": None,
    }
    return NewOffer(record, tx_code)


def credential_offer(offer: dict[str, Any], credential_issuer: str) -> dict[str, Any]:
    """The Credential Offer object (OpenID4VCI 1.0 section 4.1.1) served at its credential_offer_uri."""
    grant: dict[str, Any] = {"pre-authorized_code": offer["code"]}
    if offer["tx_code_hash"]:
        grant["tx_code"] = {
            "input_mode": "numeric",
            "length": TX_CODE_LENGTH,
            "description": "The code shown beside the QR code on the My badges page",
        }
    return {
        "credential_issuer": credential_issuer,
        "credential_configuration_ids": list(offer["configuration_ids"]),
        "grants": {PRE_AUTHORIZED_GRANT: grant},
    }


def expired(offer: dict[str, Any], now: datetime) -> bool:
    return now >= datetime.fromisoformat(offer["expires_at"])


def open_for_fetching(offer: dict[str, Any], now: datetime) -> bool:
    return offer["state"] == "offered" and not expired(offer, now)


def open_for_exchange(offer: dict[str, Any], now: datetime) -> bool:
    return open_for_fetching(offer, now) and bool(offer.get("challenge"))


@dataclass(frozen=True)
class Redemption:
    """The offer as it is to be stored, and the refusal to answer with (None: redeemed)."""

    record: dict[str, Any]
    refusal: WalletRefusal | None


def redeem(offer: dict[str, Any], tx_code: str | None, token: str, token_ttl: timedelta, now: datetime) -> Redemption:
    """The token request's checks (OpenID4VCI 1.0 section 6.1 and 6.3), in the order a caller can act on."""
    if offer["state"] != "offered":
        return Redemption(offer, WalletRefusal(INVALID_GRANT, "the pre-authorized code was already used"))
    if expired(offer, now):
        return Redemption(
            offer, WalletRefusal(INVALID_GRANT, "the pre-authorized code has expired: ask for a new offer")
        )
    if offer["tx_failures"] >= MAX_TX_CODE_FAILURES:
        return Redemption(offer, WalletRefusal(INVALID_GRANT, "too many wrong transaction codes: ask for a new offer"))
    expected = offer["tx_code_hash"]
    if expected is None and tx_code is not None:
        return Redemption(offer, WalletRefusal(INVALID_REQUEST, "this offer has no tx_code: send none"))
    if expected is not None and tx_code is None:
        return Redemption(
            offer, WalletRefusal(INVALID_REQUEST, "this offer needs the tx_code shown to the staff member")
        )
    if expected is not None and not hmac.compare_digest(expected, digest(tx_code or "")):
        failed = {**offer, "tx_failures": offer["tx_failures"] + 1}
        return Redemption(failed, WalletRefusal(INVALID_GRANT, "the tx_code is wrong"))
    redeemed = {
        **offer,
        "state": "redeemed",
        "code": None,
        "redeemed_at": now.isoformat(),
        "token_hash": digest(token),
        "token_expires_at": (now + token_ttl).isoformat(),
    }
    return Redemption(redeemed, None)


def check_token_usable(offer: dict[str, Any] | None, now: datetime) -> dict[str, Any]:
    """The offer an access token was issued for, if the token may still fetch its one credential."""
    if offer is None:
        raise WalletRefusal(INVALID_TOKEN, "the access token is unknown")
    if offer["state"] == "issued":
        raise WalletRefusal(INVALID_TOKEN, "the access token was spent: its credential was issued")
    if offer["state"] != "redeemed" or now >= datetime.fromisoformat(offer["token_expires_at"]):
        raise WalletRefusal(INVALID_TOKEN, "the access token has expired: ask the staff member for a new offer")
    return offer
