"""Bitstring Status List credentials: the issuer builds them, the verifier reads them.

A list credential is an ordinary VC 2.0 credential (the `https://www.w3.org/ns/credentials/v2` context defines
every status-list term) whose subject carries the encoded bitstring; it is signed like any other credential, by
the core's signer, after this module has built or updated it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rexvet_credentials.status.bitstring import MIN_ENTRIES, Bitstring, StatusListFormatError

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
LIST_TYPE = "BitstringStatusList"
ENTRY_TYPE = "BitstringStatusListEntry"
PURPOSES = ("revocation", "suspension", "refresh", "message")


def _iso(instant: datetime) -> str:
    return instant.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_list_credential(
    *,
    list_url: str,
    issuer: str,
    purpose: str,
    bitstring: Bitstring | None = None,
    valid_from: datetime,
    valid_until: datetime | None = None,
    ttl: timedelta | None = None,
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential (sign it with the core's signer before publishing)."""
    if purpose not in PURPOSES:
        raise ValueError(f"statusPurpose must be one of {', '.join(PURPOSES)}, not {purpose!r}")
    bits = bitstring if bitstring is not None else Bitstring(MIN_ENTRIES)
    if bits.length < MIN_ENTRIES:
        raise ValueError(f"a status list holds at least {MIN_ENTRIES} entries")
    subject: dict[str, Any] = {
        "id": f"{list_url}#list",
        "type": LIST_TYPE,
        "statusPurpose": purpose,
        "encodedList": bits.encode(),
    }
    if ttl is not None:
        subject["ttl"] = int(ttl.total_seconds() * 1000)  # milliseconds, per the specification
    credential: dict[str, Any] = {
        "@context": [VC2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": _iso(valid_from),
        "credentialSubject": subject,
    }
    if valid_until is not None:
        credential["validUntil"] = _iso(valid_until)
    return credential


def with_bitstring(list_credential: Mapping[str, Any], bitstring: Bitstring) -> dict[str, Any]:
    """A copy of the list credential carrying `bitstring`, without its now stale proof (re-sign it)."""
    updated = {key: value for key, value in list_credential.items() if key != "proof"}
    subject = dict(updated["credentialSubject"])
    subject["encodedList"] = bitstring.encode()
    updated["credentialSubject"] = subject
    return updated


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, str]:
    """The `credentialStatus` entry pointing at `index` of the list at `list_url`."""
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


@dataclass(frozen=True, slots=True)
class ParsedStatusList:
    url: str
    issuer: str | None
    purposes: frozenset[str]
    encoded_list: str
    valid_from: datetime | None
    valid_until: datetime | None
    ttl: timedelta | None
    declared_id: object = None  # the list's own id when it is not the URL it was fetched from, else None


def _parse_time(value: object, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise StatusListFormatError(f"{name} must be a date-time string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise StatusListFormatError(f"{name} {value!r} is not a date-time") from exc
    if parsed.tzinfo is None:
        raise StatusListFormatError(f"{name} {value!r} has no time zone")
    return parsed


def _types(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _issuer_id(issuer: object) -> str | None:
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def read_list_credential(document: Mapping[str, Any], url: str) -> ParsedStatusList:
    """The parts of a list credential a verifier needs; StatusListFormatError when it is not one."""
    if LIST_CREDENTIAL_TYPE not in _types(document.get("type")):
        raise StatusListFormatError(f"{url} is not a {LIST_CREDENTIAL_TYPE}")
    # A list that says it is another list (an older one, one with other bits) is still read, as 1EdTech's
    # validator reads it, and the disagreement is reported (`declared_id`; the `status_entries` warning): a set bit
    # is never hidden by it, and a verifier that relies on a clear bit sees the warning.
    declared = document.get("id")
    subject = document.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping) or LIST_TYPE not in _types(subject.get("type")):
        raise StatusListFormatError(f"the credentialSubject of {url} is not a {LIST_TYPE}")
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusListFormatError(f"{url} has no encodedList")
    purposes = frozenset(_types(subject.get("statusPurpose")))
    if not purposes:
        raise StatusListFormatError(f"{url} has no statusPurpose")
    ttl_value = subject.get("ttl")
    ttl = None
    if ttl_value is not None:
        if not isinstance(ttl_value, int | float) or isinstance(ttl_value, bool) or ttl_value < 0:
            raise StatusListFormatError(f"ttl of {url} must be a non-negative number of milliseconds")
        ttl = timedelta(milliseconds=ttl_value)
    return ParsedStatusList(
        url=url,
        issuer=_issuer_id(document.get("issuer")),
        purposes=purposes,
        encoded_list=encoded,
        valid_from=_parse_time(document.get("validFrom"), "validFrom"),
        valid_until=_parse_time(document.get("validUntil"), "validUntil"),
        ttl=ttl,
        declared_id=None if declared == url else declared,
    )
