"""An institution's issuer: its did:web identity, its OB 3.0 `Profile`, and the documents of its keys.

The issuer is `did:web:<host>:v1:issuers:<institution>`, derived from its Profile URL `https://<host>/v1/issuers/
<institution>` (the record's stored id). The DID document at `<Profile URL>/did.json` lists the Multikey keys as
`did:web:...#z6Mk...` under `assertionMethod`, each controlled by the DID: what stock did:web resolvers (DCC's
verifier-core, Digital Bazaar's, openbadgeslib) dereference a proof's `verificationMethod` to. New credentials name
the DID as `issuer.id`.

Credentials issued before name the Profile URL as issuer and `<Profile URL>#z6Mk...` as key: the Profile URL keeps
serving the Profile with those keys (a controller document, as before), so they keep verifying here. Each names
the other: `alsoKnownAs` both ways, and the Profile document's `otherIdentifier` (OB 3.0) names the DID. Every key
ever used stays listed (`retired` ones too) in both: a rotation must not break the credentials already signed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rexvet_credentials.didweb import did_web_for_url

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
# DID v1 defines verificationMethod / assertionMethod (the credential contexts do not), and coming first it tells
# JSON-LD verifiers such as Digital Bazaar's that this is a controller document they can read without framing.
CONTROLLER_CONTEXTS = [DID_CONTEXT, MULTIKEY_CONTEXT, VC2_CONTEXT, OB_CONTEXT]
TENANT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

# The Profile properties an institution admin may set (OB 3.0 Profile), beside the required `name`.
OPTIONAL_PROFILE_FIELDS = ("url", "email", "phone", "description", "image", "parentOrg")


class InvalidTenant(ValueError):
    pass


def check_tenant(tenant: str) -> str:
    if not TENANT_PATTERN.match(tenant):
        raise InvalidTenant(f"tenant {tenant!r} must be 1-64 letters, digits, '.', '_' or '-'")
    return tenant


def profile_url(base_url: str, tenant: str) -> str:
    return f"{base_url.rstrip('/')}/v1/issuers/{check_tenant(tenant)}"


@dataclass(frozen=True)
class IssuerKey:
    """One Ed25519 key; `sealed` is the encrypted private key, which no public view ever includes."""

    id: str
    public_key_multibase: str
    sealed: str
    created: str
    retired: str | None = None

    def as_record(self) -> dict[str, Any]:
        record = {
            "id": self.id,
            "public_key_multibase": self.public_key_multibase,
            "sealed": self.sealed,
            "created": self.created,
        }
        if self.retired:
            record["retired"] = self.retired
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> IssuerKey:
        return cls(
            id=record["id"],
            public_key_multibase=record["public_key_multibase"],
            sealed=record["sealed"],
            created=record["created"],
            retired=record.get("retired"),
        )


@dataclass(frozen=True)
class Issuer:
    tenant: str
    id: str  # the Profile URL: the stored id, the issuer of credentials signed before the did:web (see module doc)
    name: str
    details: dict[str, Any] = field(default_factory=dict)  # the optional Profile fields that are set
    keys: tuple[IssuerKey, ...] = ()
    # The institution's company page id on LinkedIn, for the staff's "add to profile" links. Not an OB 3.0 Profile
    # property, so never in a credential or the public Profile: only in the admin's view of it.
    linkedin_organization_id: str | None = None

    def admin_document(self) -> dict[str, Any]:
        """What the institution admin reads and writes: the public document and the settings beside it."""
        extra = {"linkedin_organization_id": self.linkedin_organization_id} if self.linkedin_organization_id else {}
        return {**self.public_document(), **extra}

    @property
    def active_key(self) -> IssuerKey:
        active = [key for key in self.keys if key.retired is None]
        if not active:
            raise LookupError(f"the issuer {self.id} has no active key")
        return active[-1]

    @property
    def did(self) -> str:
        """The issuer's did:web, whose document is `{self.id}/did.json`: what new credentials name as issuer."""
        return did_web_for_url(self.id)

    def did_method_id(self, key: IssuerKey) -> str:
        return key_id(self.did, key.public_key_multibase)

    def verification_method(self, key: IssuerKey) -> dict[str, Any]:
        """The key under the Profile URL (`key.id`, stored): the method credentials signed before the did:web name."""
        return {"id": key.id, "type": "Multikey", "controller": self.id, "publicKeyMultibase": key.public_key_multibase}

    def did_verification_method(self, key: IssuerKey) -> dict[str, Any]:
        return {
            "id": self.did_method_id(key),
            "type": "Multikey",
            "controller": self.did,
            "publicKeyMultibase": key.public_key_multibase,
        }

    def credential_profile(self) -> dict[str, Any]:
        """The Profile as embedded in a credential's `issuer` (no keys: OB 3.0 defines no term for them)."""
        return {"id": self.did, "type": ["Profile"], "name": self.name, **self.details}

    def did_document(self) -> dict[str, Any]:
        """The DID document at `{self.id}/did.json` (did:web): the keys as Multikey methods controlled by the DID."""
        methods = [self.did_verification_method(key) for key in self.keys]
        return {
            "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
            "id": self.did,
            "alsoKnownAs": [self.id],
            "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods],
        }

    def public_document(self) -> dict[str, Any]:
        """Profile and controller document in one: what `GET {Profile URL}` answers (the keys of old credentials)."""
        profile = {"id": self.id, "type": ["Profile"], "name": self.name, **self.details}
        return {
            "@context": list(CONTROLLER_CONTEXTS),
            **profile,
            "alsoKnownAs": [self.did],
            "otherIdentifier": [{"type": "IdentifierEntry", "identifier": self.did, "identifierType": "identifier"}],
            "verificationMethod": [self.verification_method(key) for key in self.keys],
            "assertionMethod": [key.id for key in self.keys],
        }

    def method_ids(self) -> list[str]:
        """Every verification method of every key, under the DID first, then under the Profile URL."""
        return [self.did_method_id(key) for key in self.keys] + [key.id for key in self.keys]


def key_id(issuer_id: str, public_key_multibase: str) -> str:
    """A key named by itself under its controller (`{profile}#z6Mk...`): distinct keys never share an id."""
    return f"{issuer_id}#{public_key_multibase}"


def clean_details(fields: dict[str, Any]) -> dict[str, Any]:
    """The optional Profile fields with values: OB 3.0 output has no nulls and no empty strings or arrays."""
    return {name: fields[name] for name in OPTIONAL_PROFILE_FIELDS if fields.get(name) not in (None, "", [], {})}
