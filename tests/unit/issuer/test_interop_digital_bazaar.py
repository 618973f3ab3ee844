"""An issued credential, its issuer's controller document and its status list, as Digital Bazaar's VC stack (an
implementation nobody here wrote) sees them: the proof verifies through the https controller document, and the
revocation bit is read from the signed status list. Documents are handed to node, never fetched."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.document_loader import load_pinned_context, pinned_context_urls

from .harness import Issuer, eligible

pytestmark = pytest.mark.interop

JS_DIR = Path(__file__).resolve().parents[2] / "interop" / "js"  # the pinned node packages of tests/interop


def run_node(op: str, documents: dict[str, Any], **request: Any) -> dict[str, Any]:
    if shutil.which("node") is None or not (JS_DIR / "node_modules").is_dir():
        pytest.fail("node and tests/interop/js/node_modules are needed (run the tests/interop suite once: npm ci)")
    contexts = {url: load_pinned_context(url) for url in pinned_context_urls()}
    payload = {"op": op, "documents": {**contexts, **documents}, **request}
    completed = subprocess.run(
        ["node", "interop.mjs"], cwd=JS_DIR, input=json.dumps(payload), capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    answer: dict[str, Any] = json.loads(completed.stdout)
    return answer


async def issuer_documents(issuer: Issuer, credential: dict[str, Any]) -> dict[str, Any]:
    """What a verifier would dereference: the controller document, each key, the status list."""
    profile = (await issuer.client.get(credential["issuer"]["id"])).json()
    documents: dict[str, Any] = {profile["id"]: profile}
    for method in profile["verificationMethod"]:
        documents[method["id"]] = {"@context": "https://w3id.org/security/multikey/v1", **method}
    list_url = credential["credentialStatus"]["statusListCredential"]
    documents[list_url] = (await issuer.client.get(list_url)).json()
    return documents


async def test_digital_bazaar_verifies_an_issued_credential_and_reads_its_revocation(issuer: Issuer) -> None:
    await issuer.publish_eligible(eligible())
    await issuer.settled()
    page = await issuer.documents.find("credentials", {"institution": "omnia", "staff_id": "s-1"})
    [record] = page.items
    credential = record["credential"]

    documents = await issuer_documents(issuer, credential)
    assert run_node("di-verify", documents, credential=credential) == {"verified": True, "error": None}
    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["achievement"]["name"] = "Expert abroad"
    assert run_node("di-verify", documents, credential=tampered)["verified"] is False
    status = run_node("status-check", documents, credential=credential)
    assert status["verified"] is True, status
    assert status["statuses"] == [{"purpose": "revocation", "status": False}]

    admin = issuer.auth("a-1", "institution-admin")
    revoke = await issuer.client.post(f"/v1/credentials/{record['credential_uuid']}/revoke", headers=admin)
    assert revoke.status_code == 200
    documents = await issuer_documents(issuer, credential)
    status = run_node("status-check", documents, credential=credential)
    assert status["statuses"] == [{"purpose": "revocation", "status": True}], status
