"""The W3C Verifiable Credentials data model (2.0, and 1.1 where a credential is written under the 1.1 context),
checked on the JSON as given: what JSON-LD expansion cannot see because it accepts it (a date in any format, a
`termsOfUse` without `type`, `id: null`, validFrom after validUntil).

The OB 3.0 models (credential.py) check OpenBadgeCredentials on top of this; any other credential is held to this
module alone. Each problem names the property (its JSON path), so an HTTP answer can say which one to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from rexvet_credentials.models.parse import StructureProblem

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"

# XML Schema 1.1 dateTimeStamp (VCDM 2.0 section 4.9): a dateTime whose timezone is required.
_DATE_TIME = (
    r"-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
)
_TIMEZONE = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
DATE_TIME_STAMP = re.compile(f"^{_DATE_TIME}{_TIMEZONE}$")
# XML Schema dateTime (VCDM 1.1's issuanceDate / expirationDate): the timezone is optional.
DATE_TIME = re.compile(f"^{_DATE_TIME}{_TIMEZONE}?$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_FORBIDDEN_IN_URL = re.compile(r"[\x00-\x20<>\"{}|\\^`]")

# Properties whose every value must be an object with a `type` (VCDM 2.0 sections 4.10 to 5.6).
TYPED_PROPERTIES = ("credentialStatus", "credentialSchema", "termsOfUse", "evidence", "refreshService")
# ... and those whose objects must also have an `id` (a schema is found by its id).
ID_REQUIRED = frozenset({"credentialSchema"})
_LANGUAGE_VALUE_KEYS = frozenset({"@value", "@language", "@direction"})
# VCDM 2.0 section 5.3: a resource's digest, as Subresource Integrity or as a multibase-encoded multihash.
_DIGEST_SRI = re.compile(r"^sha(256|384|512)-[A-Za-z0-9+/_-]+={0,2}$")
_DIGEST_MULTIBASE = re.compile(r"^(u[A-Za-z0-9_-]+|z[1-9A-HJ-NP-Za-km-z]+)$")
_DIGITS = re.compile(r"^(0|[1-9][0-9]*)$")


def is_url(value: object) -> bool:
    """An absolute URL (any scheme: did:, urn:, https:), with nothing a URL may not contain."""
    if not isinstance(value, str) or not _SCHEME.match(value) or _FORBIDDEN_IN_URL.search(value):
        return False
    try:
        urlsplit(value)
    except ValueError:
        return False
    return True


def is_date_time_stamp(value: object) -> bool:
    return isinstance(value, str) and DATE_TIME_STAMP.match(value) is not None


def data_model_version(credential: Mapping[str, Any]) -> str | None:
    """ "2.0", "1.1", or None when the first @context is neither base context."""
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    return {VC_V2: "2.0", VC_V1: "1.1"}.get(first) if isinstance(first, str) else None


def credential_problems(credential: object, *, issuing: bool = False) -> list[StructureProblem]:
    """Everything the data model says a verifiable credential must be, as located problems (empty: conforming).

    `issuing` is stricter where a verifier is lenient by decision (a `statusListIndex` written as a JSON number is
    read, with a warning, by the status check; it is never signed here).
    """
    if not isinstance(credential, Mapping):
        return [StructureProblem("", f"a credential is a JSON object, not {type(credential).__name__}")]
    return list(_credential_problems(credential, issuing))


def presentation_problems(presentation: object) -> list[StructureProblem]:
    """The data model's rules for a verifiable presentation's own properties (its credentials are checked apart)."""
    if not isinstance(presentation, Mapping):
        return [StructureProblem("", f"a presentation is a JSON object, not {type(presentation).__name__}")]
    problems = list(_context_problems(presentation))
    problems += _type_problems(presentation, "VerifiablePresentation")
    problems += _id_problems(presentation, "id")
    if "holder" in presentation:
        holder = presentation["holder"]
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        where = "holder.id" if isinstance(holder, Mapping) else "holder"
        if not is_url(holder_id):
            problems.append(StructureProblem(where, "must be a URL (the holder's identifier)"))
    credentials = presentation.get("verifiableCredential", [])
    for index, item in enumerate(credentials if isinstance(credentials, list) else [credentials]):
        if not isinstance(item, Mapping):
            problems.append(StructureProblem(f"verifiableCredential.{index}", "must be a credential (a JSON object)"))
        elif _is_enveloped(item):
            problems += _envelope_problems(item, f"verifiableCredential.{index}")
    return problems


def _credential_problems(credential: Mapping[str, Any], issuing: bool) -> Iterator[StructureProblem]:
    yield from _context_problems(credential)
    yield from _type_problems(credential, "VerifiableCredential")
    yield from _id_problems(credential, "id")
    yield from _issuer_problems(credential)
    yield from _subject_problems(credential)
    yield from _validity_problems(credential, data_model_version(credential) or "2.0")
    for name in ("name", "description"):
        yield from _language_value_problems(credential, name, name)
    for name in TYPED_PROPERTIES:
        yield from _typed_problems(credential, name)
    yield from _related_resource_problems(credential)
    yield from _status_entry_problems(credential, issuing)


def _context_problems(document: Mapping[str, Any]) -> Iterator[StructureProblem]:
    contexts = document.get("@context")
    if contexts is None:
        yield StructureProblem("@context", "required property is missing")
        return
    items = contexts if isinstance(contexts, list) else [contexts]
    if not items or items[0] not in (VC_V2, VC_V1):
        yield StructureProblem("@context", f"the first item must be {VC_V2} (or {VC_V1} for VCDM 1.1)")
    for index, item in enumerate(items):
        if isinstance(item, str):
            if not is_url(item):
                yield StructureProblem(f"@context.{index}", f"{item!r} is not a URL")
        elif not isinstance(item, Mapping):
            yield StructureProblem(f"@context.{index}", "must be a URL or a context object")


def _type_problems(document: Mapping[str, Any], required: str) -> Iterator[StructureProblem]:
    if "type" not in document:
        yield StructureProblem("type", "required property is missing")
        return
    types = document["type"]
    items = types if isinstance(types, list) else [types]
    if not all(isinstance(t, str) and t for t in items):
        yield StructureProblem("type", "must be a string or a list of strings")
    elif required not in items:
        yield StructureProblem("type", f"must include {required}")


def _id_problems(document: Mapping[str, Any], path: str) -> Iterator[StructureProblem]:
    """`id`, when the key is there at all: one URL (null is not "absent": it is refused)."""
    if "id" not in document:
        return
    value = document["id"]
    if value is None:
        yield StructureProblem(path, "must be a URL, not null (leave it out when there is none)")
    elif not isinstance(value, str):
        yield StructureProblem(path, "must be a single URL (a string)")
    elif not is_url(value):
        yield StructureProblem(path, f"{value!r} is not a URL")


def _issuer_problems(credential: Mapping[str, Any]) -> Iterator[StructureProblem]:
    if "issuer" not in credential:
        yield StructureProblem("issuer", "required property is missing")
        return
    issuer = credential["issuer"]
    if isinstance(issuer, Mapping):
        if "id" not in issuer:
            yield StructureProblem("issuer.id", "required property is missing")
        else:
            yield from _id_problems(issuer, "issuer.id")
        for name in ("name", "description"):
            yield from _language_value_problems(issuer, name, f"issuer.{name}")
    elif issuer is None:
        yield StructureProblem("issuer", "must be a URL or an object with an id, not null")
    elif not is_url(issuer):
        yield StructureProblem("issuer", f"{issuer!r} is not a URL")


def _subject_problems(credential: Mapping[str, Any]) -> Iterator[StructureProblem]:
    if "credentialSubject" not in credential:
        yield StructureProblem("credentialSubject", "required property is missing")
        return
    subjects = credential["credentialSubject"]
    items = subjects if isinstance(subjects, list) else [subjects]
    if not items:
        yield StructureProblem("credentialSubject", "must name at least one subject")
    for index, subject in enumerate(items):
        path = f"credentialSubject.{index}" if isinstance(subjects, list) else "credentialSubject"
        if not isinstance(subject, Mapping):
            yield StructureProblem(path, "must be an object")
        elif not subject:
            yield StructureProblem(path, "must make at least one claim (an empty object says nothing)")
        else:
            yield from _id_problems(subject, f"{path}.id")


def _validity_problems(credential: Mapping[str, Any], version: str) -> Iterator[StructureProblem]:
    if version == "1.1":
        names, pattern, what = ("issuanceDate", "expirationDate"), DATE_TIME, "an XML Schema dateTime"
        if "issuanceDate" not in credential:
            yield StructureProblem("issuanceDate", "required property is missing (VCDM 1.1)")
    else:
        names, pattern, what = ("validFrom", "validUntil"), DATE_TIME_STAMP, "an XML Schema dateTimeStamp"
    moments: list[datetime | None] = []
    for name in names:
        value = credential.get(name)
        if name not in credential:
            moments.append(None)
        elif not isinstance(value, str) or not pattern.match(value):
            moments.append(None)
            yield StructureProblem(name, f"{value!r} is not {what} (e.g. 2024-01-01T00:00:00Z, with a timezone)")
        else:
            moments.append(_parsed(value))
    start, end = moments
    if start is not None and end is not None and start > end:
        yield StructureProblem(names[1], f"{credential[names[1]]} is earlier than {names[0]} {credential[names[0]]}")


def _parsed(value: str) -> datetime | None:
    """The moment, for comparing; None for what Python cannot represent (year 10000, 24:00:00)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _typed_problems(credential: Mapping[str, Any], name: str) -> Iterator[StructureProblem]:
    if name not in credential:
        return
    value = credential[name]
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        path = f"{name}.{index}" if isinstance(value, list) else name
        if not isinstance(item, Mapping):
            yield StructureProblem(path, "must be an object with a type")
            continue
        if "type" not in item:
            yield StructureProblem(f"{path}.type", "required property is missing")
        else:
            types = item["type"]
            if not all(isinstance(t, str) and t for t in (types if isinstance(types, list) else [types])):
                yield StructureProblem(f"{path}.type", "must be a string or a list of strings")
        if name in ID_REQUIRED and "id" not in item:
            yield StructureProblem(f"{path}.id", "required property is missing")
        else:
            yield from _id_problems(item, f"{path}.id")


def _related_resource_problems(credential: Mapping[str, Any]) -> Iterator[StructureProblem]:
    """relatedResource: objects with a URL `id`, unique among them, each with digestSRI or digestMultibase."""
    if "relatedResource" not in credential:
        return
    value = credential["relatedResource"]
    seen: set[str] = set()
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        path = f"relatedResource.{index}" if isinstance(value, list) else "relatedResource"
        if not isinstance(item, Mapping):
            yield StructureProblem(path, "must be an object with id and digestSRI or digestMultibase")
            continue
        if "id" not in item:
            yield StructureProblem(f"{path}.id", "required property is missing")
        else:
            yield from _id_problems(item, f"{path}.id")
            if isinstance(item["id"], str) and item["id"] in seen:
                yield StructureProblem(f"{path}.id", f"{item['id']} is listed twice: each related resource once")
            seen.add(str(item["id"]))
        if "digestSRI" not in item and "digestMultibase" not in item:
            yield StructureProblem(path, "must have digestSRI or digestMultibase (the resource's digest)")
        if "digestSRI" in item and not (isinstance(item["digestSRI"], str) and _DIGEST_SRI.match(item["digestSRI"])):
            yield StructureProblem(f"{path}.digestSRI", "must be a Subresource Integrity value (sha384-...)")
        multibase = item.get("digestMultibase")
        if "digestMultibase" in item and not (isinstance(multibase, str) and _DIGEST_MULTIBASE.match(multibase)):
            yield StructureProblem(f"{path}.digestMultibase", "must be a multibase value (u... or z...)")


def _status_entry_problems(credential: Mapping[str, Any], issuing: bool) -> Iterator[StructureProblem]:
    """A BitstringStatusListEntry's own properties (Bitstring Status List 1.0, section 2.1)."""
    value = credential.get("credentialStatus")
    for index, entry in enumerate(value if isinstance(value, list) else [value]):
        path = f"credentialStatus.{index}" if isinstance(value, list) else "credentialStatus"
        if not isinstance(entry, Mapping) or entry.get("type") != "BitstringStatusListEntry":
            continue
        if not isinstance(entry.get("statusPurpose"), str) or not entry["statusPurpose"]:
            yield StructureProblem(f"{path}.statusPurpose", "must be a string (revocation, suspension, ...)")
        index_value = entry.get("statusListIndex")
        lenient = not issuing and isinstance(index_value, int) and not isinstance(index_value, bool)
        if not lenient and not (isinstance(index_value, str) and _DIGITS.match(index_value)):
            yield StructureProblem(f"{path}.statusListIndex", "must be a string of digits (the bit's position)")
        if not is_url(entry.get("statusListCredential")):
            yield StructureProblem(f"{path}.statusListCredential", "must be the URL of the status list credential")


def _language_value_problems(document: Mapping[str, Any], name: str, path: str) -> Iterator[StructureProblem]:
    """`name` / `description`: a string, a language value object ({@value, @language, @direction}), or a list."""
    if name not in document:
        return
    value = document[name]
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        where = f"{path}.{index}" if isinstance(value, list) else path
        if isinstance(item, str):
            continue
        if not isinstance(item, Mapping) or not isinstance(item.get("@value"), str):
            yield StructureProblem(where, "must be a string or a language value object with @value")
        elif set(item) - _LANGUAGE_VALUE_KEYS:
            extra = ", ".join(sorted(set(item) - _LANGUAGE_VALUE_KEYS))
            yield StructureProblem(where, f"a language value object has only @value, @language, @direction ({extra})")


def _is_enveloped(item: Mapping[str, Any]) -> bool:
    types = item.get("type")
    return "EnvelopedVerifiableCredential" in (types if isinstance(types, list) else [types])


def _envelope_problems(item: Mapping[str, Any], path: str) -> Iterator[StructureProblem]:
    if not isinstance(item.get("id"), str) or not item["id"].startswith("data:"):
        yield StructureProblem(f"{path}.id", "an EnvelopedVerifiableCredential's id must be a data: URL")
