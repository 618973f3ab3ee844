"""The Kubernetes deployment (deploy/) agrees with the code it deploys and with Kubernetes' own schemas.

Every YAML file parses; every built-in object validates against the Kubernetes JSON schema bundled offline by
kubernetes-validate; every kustomization names files that exist; every REXVET_* variable is a real setting (the same
introspection as the README's configuration table); the ConfigMap with real secrets starts every service in
production, and the example secrets are refused; probes, ports and app paths match the services; the Ingress sends
each path to the service that serves it; the Kafka topics are the ones the code uses; the image installs the frozen
lock without dev dependencies.
"""

from __future__ import annotations

import base64
import functools
import importlib
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import kubernetes_validate
import pytest
import yaml
from fastapi import FastAPI

from rexvet_cli.config_reference import SERVICE_SETTINGS, reference_markdown
from rexvet_cli.platform import SERVICES
from rexvet_common.errors import ConfigurationError
from rexvet_common.events.topics import ALL_TOPICS, DEFAULT_PARTITIONS, dead_letter_topic
from rexvet_common.settings import PLATFORM_PREFIX, ServiceSettings, is_placeholder
from rexvet_common.supervision import ServiceSpec

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
CONTAINERFILE = DEPLOY / "container" / "Containerfile"
# The oldest Kubernetes the manifests target (preStop `sleep` is on by default from 1.30).
KUBERNETES_VERSION = "1.30"
# Custom resources of the operators the backing services use: kubernetes-validate has no schema for them.
CUSTOM_KINDS = {
    ("kafka.strimzi.io/v1beta2", "Kafka"),
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool"),
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"),
    ("kafka.strimzi.io/v1beta2", "KafkaUser"),
    ("postgresql.cnpg.io/v1", "Cluster"),
}
# Helm values, not Kubernetes objects.
NOT_OBJECTS = {K8S / "backing" / "seaweedfs" / "values.yaml"}
SPECS = {spec.name: spec for spec in SERVICES}
# Variables of the web server rather than of rexvet (uvicorn reads FORWARDED_ALLOW_IPS).
SERVER_VARIABLES = {"FORWARDED_ALLOW_IPS"}


def _yaml_files() -> list[Path]:
    return sorted(path for path in DEPLOY.rglob("*.yaml"))


@functools.cache
def _documents(path: Path) -> list[Any]:
    """The file's YAML documents, parsed once per run (callers only read them)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as file:
        return [doc for doc in yaml.load_all(file, Loader=loader) if doc is not None]


def _objects() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in _yaml_files():
        if path in NOT_OBJECTS or path.name == "kustomization.yaml" or path.name.endswith(".patch.yaml"):
            continue
        for doc in _documents(path):
            yield path, doc


def _named(kind: str, root: Path = K8S / "base") -> dict[str, dict[str, Any]]:
    found = {}
    for path, obj in _objects():
        if obj["kind"] == kind and root in path.parents:
            found[obj["metadata"]["name"]] = obj
    return found


def _config() -> dict[str, str]:
    return dict(_named("ConfigMap")["rexvet-config"]["data"])


def _deployment(service: str) -> dict[str, Any]:
    return _named("Deployment")[f"rexvet-{service}"]


def _container(service: str) -> dict[str, Any]:
    containers = _deployment(service)["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, "one process per pod"
    return dict(containers[0])


def _settings_class(spec: ServiceSpec) -> type[ServiceSettings]:
    return next(cls for cls in SERVICE_SETTINGS if _default(cls, "service_name") == spec.name)


def _default(cls: type[ServiceSettings], field: str) -> Any:
    """A setting's default as the class declares it (instantiating would read this process's environment)."""
    return cls.model_fields[field].default


def _app(spec: ServiceSpec) -> FastAPI:
    module, _, attribute = spec.app.partition(":")
    app: FastAPI = getattr(importlib.import_module(module), attribute)
    return app


def _documented_paths(spec: ServiceSpec) -> set[str]:
    """The paths of the service's OpenAPI document (its pages, hidden from it, are probed over HTTP instead)."""
    return set(_app(spec).openapi()["paths"])


async def _answers(spec: ServiceSpec, path: str) -> bool:
    """Whether the app has a route at `path` (any method): asked over ASGI without starting it, so routes that need
    the runtime answer 503 and protected ones 401, while an unknown path is 404 and a known path with another method
    405."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(spec)), base_url="http://test") as client:
        for method in ("GET", "POST"):
            if (await client.request(method, path)).status_code != 404:
                return True
    return False


def _known_variables() -> set[str]:
    """Every variable of the README's generated configuration table (platform, backends, services)."""
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", reference_markdown(), flags=re.MULTILINE))


def test_every_yaml_file_parses_and_every_object_has_a_kind() -> None:
    paths = _yaml_files()
    assert len(paths) > 20
    for path in paths:
        docs = _documents(path)
        assert docs, f"{path} is empty"
    for path, obj in _objects():
        assert isinstance(obj, dict) and obj.get("apiVersion") and obj.get("kind"), f"{path}: not an object"
        assert obj.get("metadata", {}).get("name"), f"{path}: {obj['kind']} without a name"


def test_every_builtin_object_matches_the_kubernetes_schema() -> None:
    validated = 0
    for path, obj in _objects():
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            continue
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(
                f"{path.relative_to(REPO)}: {obj['kind']}/{obj['metadata']['name']}: {exc.message} at {list(exc.path)}"
            )
        validated += 1
    assert validated >= 30


def test_a_schema_violation_is_caught() -> None:
    """The validator itself must reject what Kubernetes would: a typo in a probe is not silently accepted."""
    broken = yaml.safe_load(yaml.safe_dump(_deployment("evidence")))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/readyz"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_custom_resources_are_the_operators_known_kinds() -> None:
    custom = {(obj["apiVersion"], obj["kind"]) for _, obj in _objects() if "." in obj["apiVersion"].split("/")[0]}
    builtin_groups = {"apps", "policy", "autoscaling", "networking.k8s.io"}
    unknown = {pair for pair in custom if pair not in CUSTOM_KINDS and pair[0].split("/")[0] not in builtin_groups}
    assert not unknown, f"unexpected custom resources: {unknown}"
    for _, obj in _objects():
        if obj["apiVersion"].startswith("kafka.strimzi.io/") and obj["kind"] != "Kafka":
            assert obj["metadata"]["labels"]["strimzi.io/cluster"] == "rexvet"


def test_every_kustomization_names_files_that_exist() -> None:
    kustomizations = sorted(K8S.rglob("kustomization.yaml"))
    assert {path.parent.relative_to(K8S).as_posix() for path in kustomizations} >= {
        "base",
        "overlays/production",
        "backing",
    }
    for path in kustomizations:
        (kustomization,) = _documents(path)
        named = list(kustomization.get("resources", []))
        named += [patch["path"] for patch in kustomization.get("patches", []) if "path" in patch]
        for generator in kustomization.get("configMapGenerator", []):
            named += generator.get("files", [])
        assert named, f"{path} names nothing"
        for entry in named:
            target = path.parent / entry
            assert target.exists(), f"{path.relative_to(REPO)} names {entry}, which does not exist"
            if target.is_dir():
                assert (target / "kustomization.yaml").exists(), f"{target} is not a kustomization"


def test_every_base_manifest_is_in_the_base_kustomization_except_the_secret_example() -> None:
    (kustomization,) = _documents(K8S / "base" / "kustomization.yaml")
    listed = {K8S / "base" / entry for entry in kustomization["resources"]}
    files = {path for path in (K8S / "base").rglob("*.yaml") if path.name != "kustomization.yaml"}
    assert files - listed == {K8S / "base" / "secret.example.yaml"}


def test_every_service_has_a_deployment_service_pdb_and_hpa() -> None:
    for kind in ("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"):
        assert set(_named(kind)) == {f"rexvet-{name}" for name in SPECS}, kind
    for name in SPECS:
        pod_labels = _deployment(name)["spec"]["template"]["metadata"]["labels"]
        for kind in ("Service", "PodDisruptionBudget"):
            selector = _named(kind)[f"rexvet-{name}"]["spec"]["selector"]
            selector = selector.get("matchLabels", selector)
            assert selector.items() <= pod_labels.items(), f"{kind} rexvet-{name} selects no pod"
        hpa = _named("HorizontalPodAutoscaler")[f"rexvet-{name}"]["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"rexvet-{name}"}
        assert hpa["minReplicas"] == _deployment(name)["spec"]["replicas"] == 2


def test_configmap_and_deployment_variables_are_real_settings() -> None:
    known = _known_variables()
    config = _config()
    assert all(key.startswith(PLATFORM_PREFIX) for key in config)
    assert set(config) <= known, f"not settings: {sorted(set(config) - known)}"
    for name in SPECS:
        env = {item["name"] for item in _container(name).get("env", [])} - SERVER_VARIABLES
        assert env <= known, f"rexvet-{name}: not settings: {sorted(env - known)}"
    # The overlays' patches of the ConfigMap too: a misspelt key there would be ignored as silently.
    for patch in (K8S / "overlays").rglob("*.yaml"):
        for obj in _documents(patch):
            if isinstance(obj, dict) and obj.get("kind") == "ConfigMap":
                keys = set(obj.get("data", {}))
                assert keys <= known, f"{patch.relative_to(K8S)}: not settings: {sorted(keys - known)}"


def test_the_configmap_selects_the_distributed_backends_in_production() -> None:
    config = _config()
    assert config["REXVET_ENV"] == "production"
    assert (config["REXVET_BUS"], config["REXVET_DOCUMENTS"], config["REXVET_BLOBS"]) == ("kafka", "mongo", "s3")
    assert config["REXVET_DATA_DIR"].startswith("/tmp/"), "the only writable place is the /tmp emptyDir"
    assert int(config["REXVET_KAFKA_PARTITIONS"]) == DEFAULT_PARTITIONS


def _environment(service: str, secret_value: Any) -> dict[str, str]:
    """What the service's container sees: the ConfigMap, then its env, secrets given by `secret_value(name, key)`."""
    env = _config()
    for item in _container(service).get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            env[item["name"]] = secret_value(ref["name"], ref["key"])
    return env


def _load(spec: ServiceSpec, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> ServiceSettings:
    import os

    for name in list(os.environ):
        if name.startswith(PLATFORM_PREFIX):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = spec.settings_loader()
    assert isinstance(settings, ServiceSettings)
    return settings


def _real_looking(secret: str, key: str) -> str:
    if key == "mongo-url":
        return f"mongodb://rexvet:{secrets.token_urlsafe(24)}@ferretdb.rexvet-data.svc:27017/"
    if key == "key-encryption-key":
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(24)


@pytest.mark.parametrize("service", sorted(SPECS))
def test_configmap_with_real_secrets_starts_each_service_in_production(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _load(SPECS[service], _environment(service, _real_looking), monkeypatch)
    platform = settings.platform
    chosen = platform.chosen_backends(uses_blobs=type(settings).uses_blobs)
    assert platform.production and set(settings.backends) == {backend.port for backend in chosen}
    assert settings.port == _default(_settings_class(SPECS[service]), "port")


def _example_secrets() -> dict[tuple[str, str], str]:
    values = {}
    for obj in _documents(K8S / "base" / "secret.example.yaml"):
        for key, value in obj.get("stringData", {}).items():
            values[(obj["metadata"]["name"], key)] = value
    return values


@pytest.mark.parametrize("service", sorted(SPECS))
def test_the_example_secrets_are_refused_in_production(service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = _example_secrets()
    env = _environment(service, lambda name, key: examples[(name, key)])
    with pytest.raises(ConfigurationError) as refused:
        _load(SPECS[service], env, monkeypatch)
    message = str(refused.value)
    for variable in ("REXVET_KAFKA_SASL_PASSWORD", "REXVET_MONGO_URL"):
        assert variable in message
    for variable in ("REXVET_S3_ACCESS_KEY", "REXVET_S3_SECRET_KEY"):  # only evidence keeps files, only it has them
        assert (variable in message) == (service == "evidence")
    if service == "issuer":
        assert "REXVET_ISSUER_KEY_ENCRYPTION_KEY" in message


def test_every_referenced_secret_key_is_documented_in_the_example() -> None:
    examples = _example_secrets()
    for name in SPECS:
        for item in _container(name).get("env", []):
            if "valueFrom" in item:
                ref = item["valueFrom"]["secretKeyRef"]
                assert (ref["name"], ref["key"]) in examples, f"rexvet-{name}: {ref} missing from secret.example.yaml"
        for volume in _deployment(name)["spec"]["template"]["spec"].get("volumes", []):
            if "secret" in volume:
                assert any(secret == volume["secret"]["secretName"] for secret, _ in examples)


def test_no_secret_has_a_real_looking_value_and_none_is_applied() -> None:
    found = 0
    for path, obj in _objects():
        if obj["kind"] != "Secret":
            continue
        assert path.name.endswith(".example.yaml"), f"{path}: Secrets are referenced by name, never shipped"
        values = dict(obj.get("stringData", {}))
        values |= {key: base64.b64decode(value).decode() for key, value in obj.get("data", {}).items()}
        for key, value in values.items():
            found += 1
            assert is_placeholder(value), f"{path.relative_to(REPO)}: {obj['metadata']['name']}/{key} looks real"
    assert found >= 6
    assert not is_placeholder(_real_looking("rexvet-backends", "s3-secret-key")), "the check must be able to fail"


@pytest.mark.parametrize("service", sorted(SPECS))
async def test_each_deployment_runs_its_service_with_probes_on_its_port(service: str) -> None:
    spec = SPECS[service]
    container = _container(service)
    port = _default(_settings_class(spec), "port")
    assert spec.default_port == port
    args = container["args"]
    assert args[0] == spec.app and args[args.index("--port") + 1] == str(port)
    assert args[args.index("--host") + 1] == "0.0.0.0", "the Service reaches the pod's address, not its loopback"
    module, _, attribute = args[0].partition(":")
    assert hasattr(importlib.import_module(module), attribute)
    ports = {entry["name"]: entry["containerPort"] for entry in container["ports"]}
    assert ports == {"http": port}
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = container[probe]["httpGet"]
        assert get["path"] == path and ports.get(get["port"], get["port"]) == port, f"{service} {probe}"
    assert await _answers(spec, "/healthz") and await _answers(spec, "/readyz")
    assert not await _answers(spec, "/no-such-path"), "the probe must be able to fail"
    service_port = _named("Service")[f"rexvet-{service}"]["spec"]["ports"][0]
    assert service_port["targetPort"] == "http" and service_port["port"] == port


@pytest.mark.parametrize("service", sorted(SPECS))
def test_each_deployment_is_locked_down(service: str) -> None:
    pod = _deployment(service)["spec"]["template"]["spec"]
    container = _container(service)
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"] and "add" not in security["capabilities"]
    mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]
    assert pod["automountServiceAccountToken"] is False
    assert pod["topologySpreadConstraints"], "replicas spread over nodes"
    assert "requests" in container["resources"] and "limits" in container["resources"]


def test_the_containerfile_installs_the_frozen_lock_without_dev_dependencies() -> None:
    text = CONTAINERFILE.read_text(encoding="utf-8")
    instructions = [line.strip() for line in re.sub(r"\\\n", " ", text).splitlines()]
    instructions = [line for line in instructions if line and not line.startswith("#")]
    syncs = [line for line in instructions if "uv sync" in line]
    assert syncs and all("--frozen" in line and "--no-dev" in line for line in syncs)
    assert any(re.search(r"uv sync --frozen --no-dev\b", line) for line in syncs)
    assert sum(1 for line in instructions if line.upper().startswith("FROM ")) >= 3, "multi-stage"
    assert not any(line.upper().startswith("HEALTHCHECK") for line in instructions)
    users = [line.split()[1] for line in instructions if line.upper().startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    runtime = text.rsplit("FROM ", 1)[1]
    assert "COPY libs" not in runtime and "COPY services" not in runtime, "the runtime stage has no source tree"
    entrypoint = next(line for line in instructions if line.upper().startswith("ENTRYPOINT"))
    assert "rexvet_common.serve" in entrypoint
    uid = int(users[-1].split(":")[0])
    for name in SPECS:
        assert _deployment(name)["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == uid


def test_the_kafka_topics_are_the_ones_the_code_uses() -> None:
    from rexvet_coaching.consumers.handlers import CONSUMED_TOPICS as COACHING_TOPICS
    from rexvet_issuer.consumers.handlers import CONSUMED_TOPICS as ISSUER_TOPICS
    from rexvet_verifier.consumers.handlers import CONSUMED_TOPICS as VERIFIER_TOPICS

    consumed = {"coaching": COACHING_TOPICS, "issuer": ISSUER_TOPICS, "verifier": VERIFIER_TOPICS}
    groups = {  # the portal consumes no events: it has no consumer group
        _default(cls, "service_name"): _default(cls, "consumer_group")
        for cls in SERVICE_SETTINGS
        if "consumer_group" in cls.model_fields
    }
    expected = set(ALL_TOPICS) | {
        dead_letter_topic(topic, groups[service]) for service, topics in consumed.items() for topic in topics
    }
    topics = [obj for _, obj in _objects() if obj["kind"] == "KafkaTopic"]
    assert {topic["spec"]["topicName"] for topic in topics} == expected
    assert all(topic["spec"]["partitions"] == DEFAULT_PARTITIONS for topic in topics)
    config = _config()
    assert all(topic["spec"]["replicas"] == int(config["REXVET_KAFKA_REPLICATION_FACTOR"]) for topic in topics)
    user = next(obj for _, obj in _objects() if obj["kind"] == "KafkaUser")
    assert user["metadata"]["name"] == config["REXVET_KAFKA_SASL_USERNAME"]
    acl_groups = {
        acl["resource"]["name"] for acl in user["spec"]["authorization"]["acls"] if acl["resource"]["type"] == "group"
    }
    assert acl_groups == set(groups.values())


def test_the_kafka_cluster_runs_kraft_with_a_node_pool() -> None:
    kafka = next(obj for _, obj in _objects() if obj["kind"] == "Kafka")
    pool = next(obj for _, obj in _objects() if obj["kind"] == "KafkaNodePool")
    assert "zookeeper" not in kafka["spec"]
    assert set(pool["spec"]["roles"]) == {"controller", "broker"}
    listener = kafka["spec"]["kafka"]["listeners"][0]
    assert listener["authentication"]["type"] == _config()["REXVET_KAFKA_SASL_MECHANISM"].lower()
    host, _, port = _config()["REXVET_KAFKA_BOOTSTRAP_SERVERS"].partition(":")
    assert host.startswith(f"{kafka['metadata']['name']}-kafka-bootstrap.") and int(port) == listener["port"]


def test_ferretdb_2_is_pinned_on_a_documentdb_postgresql() -> None:
    (ferretdb,) = [obj for path, obj in _objects() if obj["kind"] == "Deployment" and "backing" in path.parts]
    container = ferretdb["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "ghcr.io/ferretdb/ferretdb:2.7.0"  # 1.x: conditional writes are not atomic
    env = {item["name"]: item for item in container["env"]}
    cluster = next(obj for _, obj in _objects() if obj["kind"] == "Cluster")
    assert env["FERRETDB_POSTGRESQL_URL"]["valueFrom"]["secretKeyRef"]["name"] == f"{cluster['metadata']['name']}-app"
    spec = cluster["spec"]
    # The DocumentDB release FerretDB 2.7.0 names, the one scripts/infra builds for the tests.
    assert spec["imageName"].startswith("ghcr.io/ferretdb/postgres-documentdb:") and spec["imageName"].endswith(
        "-0.107.0-ferretdb-2.7.0"
    )
    assert spec["postgresql"]["shared_preload_libraries"] == ["pg_cron", "pg_documentdb_core", "pg_documentdb"]
    initdb = spec["bootstrap"]["initdb"]
    assert spec["postgresql"]["parameters"]["cron.database_name"] == initdb["database"]
    assert "CREATE EXTENSION IF NOT EXISTS documentdb CASCADE" in initdb["postInitApplicationSQL"]
    assert f"GRANT documentdb_admin_role TO {initdb['owner']}" in initdb["postInitApplicationSQL"]


def test_no_agpl_or_sspl_server_is_deployed() -> None:
    for path in _yaml_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*(image|imageName|repository|name):\s", line):
                lowered = line.lower()
                assert "minio/minio" not in lowered and "mongo:" not in lowered and "bitnami/mongodb" not in lowered


def _egress_ports(policy: dict[str, Any]) -> set[int]:
    return {port["port"] for rule in policy["spec"].get("egress", []) for port in rule.get("ports", [])}


def test_network_policies_deny_by_default_and_open_what_the_configuration_needs() -> None:
    policies = _named("NetworkPolicy")
    deny = [p for p in policies.values() if p["spec"]["podSelector"] == {} and not p["spec"].get("ingress")]
    assert deny and {"Ingress", "Egress"} <= set(deny[0]["spec"]["policyTypes"])
    egress = policies["rexvet-egress-backends"]
    assert egress["spec"]["podSelector"]["matchLabels"] == {"app.kubernetes.io/part-of": "rexvet"}
    config = _config()
    needed = {53, int(config["REXVET_KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1])}
    needed.add(int(config["REXVET_S3_ENDPOINT"].rsplit(":", 1)[1]))
    needed.add(int(_example_secrets()[("rexvet-backends", "mongo-url")].rsplit(":", 1)[1].strip("/")))
    needed.add(SPECS["issuer"].default_port)
    assert needed <= _egress_ports(egress)
    from_ingress = policies["rexvet-from-ingress-controller"]["spec"]
    assert from_ingress["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"]
    for name in SPECS:
        labels = _deployment(name)["spec"]["template"]["metadata"]["labels"]
        assert from_ingress["podSelector"]["matchLabels"].items() <= labels.items()


def _ingress_paths() -> dict[str, list[tuple[str, str, str]]]:
    """Per Ingress: (path, pathType, service) of each rule."""
    found = {}
    for name, ingress in _named("Ingress").items():
        found[name] = [
            (path["path"], path["pathType"], path["backend"]["service"]["name"])
            for rule in ingress["spec"]["rules"]
            for path in rule["http"]["paths"]
        ]
    return found


def _route(request_path: str, rules: list[tuple[str, str, str]]) -> str | None:
    """The service an Ingress sends a path to: an Exact match, else the longest Prefix by path element."""
    for path, kind, service in rules:
        if kind == "Exact" and path == request_path:
            return service
    matches = [
        (len(path), service)
        for path, kind, service in rules
        if kind == "Prefix" and (request_path == path or request_path.startswith(path.rstrip("/") + "/"))
    ]
    return max(matches)[1] if matches else None


# Served by a service but deliberately not published: API docs, health (for the kubelet), and the local blob store's
# signed downloads (with REXVET_BLOBS=s3 the URLs are S3's own).
# The issuer's development sign-in (/authorize) is refused in production, so it is not published either.
UNPUBLISHED = re.compile(r"^/(docs|redoc|openapi\.json|healthz|readyz)(/|$)|^/v1/blobs/|^/authorize$")


def _host_rules() -> dict[str, list[tuple[str, str, str]]]:
    """Per host: (path, pathType, service) of each rule of every Ingress (the portal has a host of its own)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for ingress in _named("Ingress").values():
        for rule in ingress["spec"]["rules"]:
            found.setdefault(rule["host"], []).extend(
                (path["path"], path["pathType"], path["backend"]["service"]["name"]) for path in rule["http"]["paths"]
            )
    return found


async def test_the_ingress_sends_each_route_to_the_service_that_serves_it() -> None:
    hosts = _host_rules()
    published = set()
    for host, rules in hosts.items():
        assert len({(path, kind) for path, kind, _ in rules}) == len(rules), f"one path twice on {host}"
        on_host = {service for _, _, service in rules}
        for name, spec in SPECS.items():
            if f"rexvet-{name}" not in on_host:
                continue
            published.add(name)
            for path in _documented_paths(spec):
                target = _route(re.sub(r"\{[^}]+\}", "x1", path), rules)
                if UNPUBLISHED.match(path):
                    assert target is None, f"{path} of {name} is published on {host}"
                else:
                    assert target == f"rexvet-{name}", f"{path} of {name} goes to {target} on {host}"
    assert published == set(SPECS), "every service is published on some host"
    # And the other way: every rule leads to something its service serves (its hidden pages included).
    for path, kind, service in [rule for rules in hosts.values() for rule in rules]:
        spec = SPECS[service.removeprefix("rexvet-")]
        under = [
            served
            for served in _documented_paths(spec)
            if _route(re.sub(r"\{[^}]+\}", "x1", served), [(path, kind, service)]) == service
        ]
        assert under or await _answers(spec, path), f"{kind} {path} leads to no route of {service}"


def test_the_public_ingress_has_the_public_paths_and_the_api_ingress_the_rest() -> None:
    public = {path for path, _, _ in _ingress_paths()["rexvet-public"]}
    api = {path for path, _, _ in _ingress_paths()["rexvet-api"]}
    assert {"/", "/v1/verify", "/credentials/verify", "/v1/credentials", "/v1/issuers", "/.well-known"} <= public
    assert {"/jwks.json", "/v1/framework"} <= public
    assert {"/v1/evidence", "/v1/hr", "/v1/me", "/v1/staff", "/oauth/token", "/v1/issuer"} <= api


def _kubectl_kustomize(directory: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl (with its built-in kustomize) is not installed")
    rendered = subprocess.run(
        [kubectl, "kustomize", str(directory)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


@pytest.mark.parametrize("directory", ["overlays/production", "backing"])
def test_the_kustomizations_render_to_valid_objects(directory: str) -> None:
    objects = _kubectl_kustomize(K8S / directory)
    assert objects
    namespace = next(obj["metadata"]["name"] for obj in objects if obj["kind"] == "Namespace")
    for obj in objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"].get("namespace") == namespace, f"{obj['kind']}/{obj['metadata']['name']}"
        if (obj["apiVersion"], obj["kind"]) not in CUSTOM_KINDS:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        if obj["kind"] == "Deployment":
            image = obj["spec"]["template"]["spec"]["containers"][0]["image"]
            assert "/" in image and ":" in image, f"{obj['metadata']['name']}: image {image!r} not set by the overlay"


def test_the_deployment_guide_links_to_files_that_exist() -> None:
    guide = K8S / "README.md"
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", guide.read_text(encoding="utf-8"))
    local = [link for link in links if not link.startswith(("http://", "https://"))]
    assert len(local) >= 10
    missing = [link for link in local if not (guide.parent / link).exists()]
    assert not missing, f"deploy/k8s/README.md links to missing files: {missing}"
