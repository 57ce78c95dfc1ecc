"""`shipyard init-workflow`: the GitHub Actions workflow it writes parses, asks for the
permissions Pages deployments need, runs the official Pages actions at pinned versions, and
builds with a command line `shipyard build` takes."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from shipyard.cli import build
from tests.support.cli import run
from tests.support.git import user_repo
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
PINNED = re.compile(r"[\w-]+/[\w-]+@(v\d+|[0-9a-f]{40})")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the housing model in models/, the current folder."""
    repo = user_repo(tmp_path / "project")
    (repo / "models").mkdir()
    for name in ("model.onnx", "metadata.yml"):
        shutil.copy(HOUSING / name, repo / "models" / name)
    monkeypatch.chdir(repo / "models")
    return repo


def steps(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A job's steps by the action each uses (its name before the @), or by its run line."""
    return {step["uses"].split("@")[0] if "uses" in step else step["run"]: step for step in job["steps"]}


def test_the_workflow_builds_with_pages_permissions_and_deploys_with_the_pages_actions(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run("init-workflow", "model.onnx", "--metadata", "metadata.yml")
    assert code == 0, out
    workflow = yaml.safe_load((project / ".github" / "workflows" / "shipyard.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true; GitHub reads it as `on`
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    built, deployed = steps(workflow["jobs"]["build"]), steps(workflow["jobs"]["deploy"])
    assert {"actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact"} <= set(built)
    assert built["actions/checkout"]["with"]["lfs"] is True
    assert set(deployed) == {"actions/deploy-pages"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "uses" not in step or PINNED.fullmatch(step["uses"]), step["uses"]
    (command,) = (
        step["run"] for step in workflow["jobs"]["build"]["steps"] if "shipyard build" in step.get("run", "")
    )
    args = shlex.split(command)
    assert args[:2] == ["shipyard", "build"]
    monkeypatch.chdir(project)  # where the runner's checkout runs it
    options = build.make_context("build", args[2:]).params
    assert options["model"] == Path("models/model.onnx") and options["metadata"] == Path(
        "models/metadata.yml"
    )
    assert options["host"] == "github-pages"
    assert built["actions/upload-pages-artifact"]["with"]["path"] == str(options["output"])


def test_it_keeps_a_workflow_unless_forced_and_refuses_a_model_outside_the_repository(
    project: Path, tmp_path: Path
) -> None:
    assert run("init-workflow", "model.onnx")[0] == 0
    code, out = run("init-workflow", "model.onnx")
    assert code == 2 and "shipyard.yml: exists already; pass --force to replace it" in out
    assert run("init-workflow", "model.onnx", "--force")[0] == 0
    outside = tmp_path / "elsewhere.onnx"
    shutil.copy(HOUSING / "model.onnx", outside)
    code, out = run("init-workflow", str(outside), "--force")
    assert code == 2 and f"{outside}: is outside the repository" in out and "Traceback" not in out
