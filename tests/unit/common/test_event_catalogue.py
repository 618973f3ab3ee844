"""The AsyncAPI catalogue describes every event type the code emits, and the shipped document is current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rexvet_common.events import catalogue, topics
from rexvet_common.events.envelope import CloudEvent, new_event

pytestmark = pytest.mark.unit

EVENT_TYPE_LITERAL = re.compile(r"[\"'](org\.rexvet\.[a-z0-9_.]+\.v[0-9]+)[\"']")
SHIPPED = Path(catalogue.__file__).with_name("asyncapi.json")


def _source_files(repo_root: Path) -> list[Path]:
    roots = [repo_root / "libs", repo_root / "services", repo_root / "apps"]
    return [p for root in roots for p in root.rglob("*.py") if ".venv" not in p.parts]


def test_every_event_type_named_in_the_code_is_in_the_catalogue(repo_root: Path) -> None:
    named = {
        match.group(1): path
        for path in _source_files(repo_root)
        for match in EVENT_TYPE_LITERAL.finditer(path.read_text(encoding="utf-8"))
    }
    assert named, "the scan found no event types at all: the pattern or the paths are wrong"
    missing = {t: str(p.relative_to(repo_root)) for t, p in named.items() if not catalogue.is_registered(t)}
    assert not missing, f"event types emitted but not in rexvet_common/events/catalogue.py: {missing}"


def test_the_shipped_asyncapi_document_is_generated_from_the_registry() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(catalogue.asyncapi_document())), (
        "asyncapi.json is stale: run `uv run python -m rexvet_common.events.catalogue "
        "> libs/common/src/rexvet_common/events/asyncapi.json`"
    )


def test_the_document_names_every_topic_and_type() -> None:
    doc = catalogue.asyncapi_document()
    assert doc["asyncapi"] == "3.0.0"
    addresses = {channel["address"] for channel in doc["channels"].values()}
    assert set(topics.ALL_TOPICS) <= addresses
    names = {message["name"] for message in doc["components"]["messages"].values()}
    assert {e.type for e in catalogue.EVENT_TYPES} <= names
    for message in doc["components"]["messages"].values():
        assert message["payload"]["properties"]["data"]["type"] == "object"


def test_an_uncatalogued_type_is_refused_when_an_event_is_built() -> None:
    with pytest.raises(ValueError, match=r"not in rexvet_common/events/catalogue\.py"):
        new_event(type="org.rexvet.nobody.knows.v1", source="test", key="inst:1", data={})


def test_the_test_namespace_may_be_built() -> None:
    assert new_event(type="org.rexvet.test.probe.v1", source="test", key="inst:1", data={}).type


def test_an_uncatalogued_type_is_still_read() -> None:
    """Consumers of an older release meet a newer producer's types during a rolling upgrade: they must decode them
    (and ignore them), not dead-letter them."""
    raw = b'{"id": "1", "source": "s", "type": "org.rexvet.future.thing.v1", "time": "2026-01-01T00:00:00Z",'
    raw += b' "partitionkey": "inst:1", "data": {}}'
    assert CloudEvent.from_json_bytes(raw).type == "org.rexvet.future.thing.v1"


def test_every_reference_in_the_document_resolves() -> None:
    doc = catalogue.asyncapi_document()

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    found = refs(doc)
    assert any("/components/schemas/" in ref for ref in found), "expected nested payload models to be shared"
    for ref in found:
        target: object = doc
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(target, dict) and part in target, f"{ref} does not resolve"
            target = target[part]
