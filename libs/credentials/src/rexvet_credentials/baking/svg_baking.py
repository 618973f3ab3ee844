"""SVG baking: `<openbadges:credential>` in namespace https://purl.imsglobal.org/ob/v3p0, the first child of the
root `<svg>`; a JSON credential goes in a CDATA section, a compact JWS in the `verify` attribute. OB 2.0 used
`<openbadges:assertion>` in namespace http://openbadges.org.

Images are untrusted input: they are parsed with defusedxml (no entity expansion, no external resources).
minidom keeps the document's own prefixes, DOCTYPE and CDATA, so a baked image differs from the original only
by the credential element.
"""

from __future__ import annotations

from xml.dom import Node
from xml.dom.minidom import Document, Element
from xml.parsers.expat import ExpatError

import defusedxml.minidom
from defusedxml import DefusedXmlException

from rexvet_credentials.baking.common import BakedCredential, BakingError, CredentialFormat, check_bakeable, classify

OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def _parse(image: bytes) -> tuple[Document, Element]:
    try:
        document: Document = defusedxml.minidom.parseString(image, forbid_dtd=False)
    except (ExpatError, DefusedXmlException, ValueError) as exc:
        raise BakingError(f"not a valid SVG document: {exc}", code="invalid_image") from exc
    root = document.documentElement
    if root is None or root.localName != "svg":
        raise BakingError("the document's root element is not <svg>", code="invalid_image")
    return document, root


def _elements(root: Element, namespace: str, local_name: str) -> list[Element]:
    return list(root.getElementsByTagNameNS(namespace, local_name))


def _prefix_for(root: Element, namespace: str) -> str:
    for name, value in root.attributes.items():
        if name.startswith("xmlns:") and value == namespace:
            return name.removeprefix("xmlns:")
    prefix = "openbadges"
    if root.hasAttribute(f"xmlns:{prefix}"):  # the prefix is taken by another namespace
        prefix = "ob3"
    root.setAttribute(f"xmlns:{prefix}", namespace)
    return prefix


def bake_svg(image: bytes, credential: str) -> bytes:
    kind = check_bakeable(credential)
    document, root = _parse(image)
    for old in _elements(root, OB3_NAMESPACE, "credential"):
        parent = old.parentNode
        if parent is not None:
            parent.removeChild(old)
    prefix = _prefix_for(root, OB3_NAMESPACE)
    element = document.createElementNS(OB3_NAMESPACE, f"{prefix}:credential")
    if kind is CredentialFormat.JWS:
        element.setAttribute("verify", credential.strip())
    else:
        # "]]>" cannot occur in CDATA; in JSON it can only sit inside a string, where \u003e means the same.
        element.appendChild(document.createCDATASection(credential.replace("]]>", "]]\\u003e")))
    root.insertBefore(element, root.firstChild)
    return bytes(document.toxml(encoding="utf-8"))


def _content(element: Element) -> str:
    verify = element.getAttribute("verify")
    if verify:
        return verify
    text_types = (Node.TEXT_NODE, Node.CDATA_SECTION_NODE)
    return "".join(str(getattr(node, "data", "")) for node in element.childNodes if node.nodeType in text_types)


def extract_svg(image: bytes) -> BakedCredential:
    _document, root = _parse(image)
    found = _elements(root, OB3_NAMESPACE, "credential")
    if found:
        text = _content(found[0]).strip()
        fmt = classify(text)
        if fmt is CredentialFormat.URL:
            raise BakingError("an OB 3.0 baked credential must be the credential, not a URL", code="baked_url")
        return BakedCredential(text, fmt, "3.0", "svg")
    found = _elements(root, OB2_NAMESPACE, "assertion")
    if found:
        text = _content(found[0]).strip()
        return BakedCredential(text, classify(text), "2.0", "svg")
    raise BakingError("the SVG carries no baked Open Badges credential", code="not_baked")
