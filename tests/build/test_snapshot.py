"""Pyodide's start-up snapshot: what it preloads, and a clear error when it cannot be made.
The e2e tests run every page restored from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from shipyard.cli import main
from shipyard.site import snapshot
from tests.support.sites import EXAMPLES

RUNTIME_MODULES = ("batch", "display", "form", "hooks", "images", "links", "spec", "tensors", "values")


def test_the_snapshot_preloads_every_standard_module_the_runtime_imports() -> None:
    imports = "; ".join(f"import shipyard_runtime.{name}" for name in RUNTIME_MODULES)
    script = (
        "import sys; before = set(sys.modules); "
        f"{imports}; "
        "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    standard = {m for m in loaded.stdout.split() if not m.startswith(("_", "shipyard"))}
    preloaded = {name.strip().split(".")[0] for name in snapshot.PRELOADED.split(",")}
    assert standard - preloaded == set()


@pytest.mark.parametrize(
    ("node", "reason"), [(None, "Node.js is not installed"), ("/bin/false", "node failed")]
)
def test_a_snapshot_that_cannot_be_made_is_an_error_that_says_how_to_do_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, node: str | None, reason: str
) -> None:
    monkeypatch.setattr(snapshot, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(snapshot.shutil, "which", lambda name: node)
    housing = EXAMPLES / "housing"
    output = tmp_path / "site"
    args = ["build", str(housing / "model.onnx"), "--metadata", str(housing / "metadata.yml")]
    result = CliRunner().invoke(main, [*args, "--output", str(output)])
    assert result.exit_code == 2, result.output
    assert f"--snapshot: could not make the start-up snapshot of Pyodide 314.0.7 ({reason})" in result.output
    assert "build with --no-snapshot" in result.output and "Traceback" not in result.output
    assert not output.exists()
    assert CliRunner().invoke(main, [*args, "--output", str(output), "--no-snapshot"]).exit_code == 0
