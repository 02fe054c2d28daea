"""deploy/kubernetes/: each manifest is valid for the Kubernetes API (kubernetes-validate's
schemas, strict: an unknown or misplaced field fails), sets only variables the gateway
reads, and what it says agrees with the gateway and with the other manifests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from gateway.config import load_settings
from tests.deploy.variables import DEPLOY, KNOWN, SECRETS, load_yaml

KUBERNETES = DEPLOY / "kubernetes"
# The oldest Kubernetes the manifests are written for (autoscaling/v2, policy/v1 and every
# field used are in it); kubernetes-validate ships its schemas.
KUBERNETES_VERSION = "1.30.0"
# /readyz bounds each back end's check to 5 s (gateway/app.py): a shorter probe time-out
# would fail a pod whose back ends are only slow.
READYZ_CHECK_SECONDS = 5


def _listed() -> list[str]:
    return [str(name) for name in load_yaml(KUBERNETES / "kustomization.yaml")["resources"]]


MANIFESTS = _listed()


def _manifests() -> dict[str, dict[str, Any]]:
    """Each manifest by its kind (one of each)."""
    documents = [load_yaml(KUBERNETES / name) for name in MANIFESTS]
    kinds = {document["kind"]: document for document in documents}
    assert len(kinds) == len(documents), "one manifest per kind"
    return kinds


@pytest.fixture(scope="module")
def manifests() -> dict[str, dict[str, Any]]:
    return _manifests()


def _container(manifests: dict[str, dict[str, Any]]) -> dict[str, Any]:
    containers = manifests["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: dict[str, Any] = containers[0]
    return container


def _env(container: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container.get("env", [])}


def test_kustomization_lists_every_manifest_of_the_folder() -> None:
    files = {path.name for path in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert sorted(files) == sorted(MANIFESTS)


@pytest.mark.parametrize("name", MANIFESTS)
def test_each_manifest_is_valid_for_the_kubernetes_api(name: str) -> None:
    document = load_yaml(KUBERNETES / name)
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_validation_refuses_an_unknown_field() -> None:
    """So that the test above can fail: a misspelt probe is caught."""
    manifests = _manifests()  # a copy of its own, changed
    container = _container(manifests)
    container["readinessProbes"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(manifests["Deployment"], KUBERNETES_VERSION, strict=True)


def test_the_resources_and_their_api_versions(manifests: dict[str, dict[str, Any]]) -> None:
    versions = {kind: document["apiVersion"] for kind, document in manifests.items()}
    assert versions == {
        "ConfigMap": "v1",
        "Secret": "v1",
        "Deployment": "apps/v1",
        "Service": "v1",
        "HorizontalPodAutoscaler": "autoscaling/v2",
        "PodDisruptionBudget": "policy/v1",
    }


def test_every_variable_set_is_one_the_gateway_reads(manifests: dict[str, dict[str, Any]]) -> None:
    config = set(manifests["ConfigMap"]["data"])
    container = _container(manifests)
    assert [source["configMapRef"]["name"] for source in container["envFrom"]] == [
        manifests["ConfigMap"]["metadata"]["name"]
    ]
    deployment = {item["name"] for item in container["env"]}
    assert config and deployment
    assert (config | deployment) - KNOWN == set()
    assert not config & deployment, "one place for each variable"


def test_secrets_come_as_files_of_the_secret(manifests: dict[str, dict[str, Any]]) -> None:
    """No secret as a plain variable; each `*_FILE` names a key of the Secret, mounted
    read-only; every key of the Secret is read."""
    container = _container(manifests)
    pod = manifests["Deployment"]["spec"]["template"]["spec"]
    config = set(manifests["ConfigMap"]["data"])
    env = _env(container)
    assert not (config | set(env)) & SECRETS
    (volume,) = [v for v in pod["volumes"] if "secret" in v]
    assert volume["secret"]["secretName"] == manifests["Secret"]["metadata"]["name"]
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == volume["name"]]
    assert mount["readOnly"] is True
    keys = set(manifests["Secret"]["stringData"])
    files = {name: value for name, value in env.items() if name.endswith("_FILE")}
    assert {Path(path).parent for path in files.values()} == {Path(mount["mountPath"])}
    assert {Path(path).name for path in files.values()} == keys


def test_the_settings_are_accepted_in_production(
    manifests: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """The ConfigMap and the Deployment's variables as a pod has them, the Secret's keys as
    files (placeholders): production mode accepts them, every back end with its URL."""
    env = _env(_container(manifests))
    secrets = manifests["Secret"]["stringData"]
    for key, value in secrets.items():
        (tmp_path / key).write_text(f"{value}\n")
    files = {name: str(tmp_path / Path(path).name) for name, path in env.items()}
    settings = load_settings({**manifests["ConfigMap"]["data"], **files})
    assert settings.production
    assert settings.has_caller_keys
    assert not settings.needs_sandbox
    assert settings.host == "0.0.0.0"
    assert settings.jwt_secret == secrets["gateway-jwt-secret"]


def test_the_secret_holds_placeholders_only(manifests: dict[str, dict[str, Any]]) -> None:
    assert all(
        value.startswith("REPLACE-ME") for value in manifests["Secret"]["stringData"].values()
    )


def test_probes_ask_readyz_and_healthz_on_the_served_port(
    manifests: dict[str, dict[str, Any]],
) -> None:
    container = _container(manifests)
    (port,) = container["ports"]
    assert port["containerPort"] == int(manifests["ConfigMap"]["data"]["GATEWAY_PORT"])
    probes = {
        kind: (container[kind]["httpGet"]["path"], container[kind]["httpGet"]["port"])
        for kind in ("readinessProbe", "livenessProbe", "startupProbe")
    }
    assert probes == {
        # Not all: one back end down must not take every pod out (docs/deployment.md).
        "readinessProbe": ("/readyz?require=any", port["name"]),
        "livenessProbe": ("/healthz", port["name"]),
        "startupProbe": ("/healthz", port["name"]),
    }
    assert container["readinessProbe"]["timeoutSeconds"] > READYZ_CHECK_SECONDS
    service_ports = manifests["Service"]["spec"]["ports"]
    assert [p["targetPort"] for p in service_ports] == [port["name"]]


def test_the_pods_run_as_non_root_on_a_read_only_root(
    manifests: dict[str, dict[str, Any]],
) -> None:
    pod = manifests["Deployment"]["spec"]["template"]["spec"]
    container = _container(manifests)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    context = container["securityContext"]
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    (tmp,) = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
    (volume,) = [v for v in pod["volumes"] if v["name"] == tmp["name"]]
    assert "emptyDir" in volume
    for kind in ("requests", "limits"):
        assert set(container["resources"][kind]) == {"cpu", "memory"}


def test_replicas_selectors_autoscaler_and_disruption_budget_agree(
    manifests: dict[str, dict[str, Any]],
) -> None:
    deployment = manifests["Deployment"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    name = deployment["metadata"]["name"]
    assert deployment["spec"]["replicas"] == 2
    for selector in (
        deployment["spec"]["selector"]["matchLabels"],
        manifests["Service"]["spec"]["selector"],
        manifests["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"],
    ):
        assert selector.items() <= labels.items()
    autoscaler = manifests["HorizontalPodAutoscaler"]["spec"]
    assert autoscaler["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    assert autoscaler["minReplicas"] == deployment["spec"]["replicas"]
    # Fewer than the fewest replicas: a node drain can always evict one.
    assert manifests["PodDisruptionBudget"]["spec"]["minAvailable"] < autoscaler["minReplicas"]
