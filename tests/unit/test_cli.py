"""The command line: versions and help, and clean errors with exit code 2 (tests/build has
the commands that build and serve)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shipyard import __version__
from shipyard.cache import record_sizes, sizes_of
from shipyard.site.npm_assets import ONNXRUNTIME_WEB
from tests.support.cli import run
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"

MODEL, METADATA = str(HOUSING / "model.onnx"), str(HOUSING / "metadata.yml")


def test_version_and_help_on_every_command() -> None:
    assert run("--version") == (0, f"shipyard, version {__version__}\n")
    for command in ("build", "static", "serve", "deploy", "init-workflow"):
        code, out = run(command, "--help")
        assert code == 0 and "Usage: main " + command in out.replace("shipyard", "main")


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        (
            "name: x\ninputs:\n  MedInc: {type: float32, shape: [null, 1], min: 3, max: 1}\noutputs: {}\n",
            [
                "inputs.MedInc.min: min 3 is greater than max 1",
                "inputs: the model's input 'Latitude' is missing (add `Latitude: {}` to infer it)",
            ],
        ),
        ("name: [unclosed\n", ["line 2, column 1: invalid YAML"]),
        (
            (HOUSING / "metadata.yml")
            .read_text()
            .replace(
                "type: float32\n    shape: [null, 1]\n    min: 0.5",
                "type: float64\n    shape: [null, 1]\n    min: 0.5",
            ),
            ["inputs.MedInc.type: float64, but the model says float32"],
        ),
    ],
)
def test_bad_metadata_gets_file_key_and_reason_without_traceback(
    tmp_path: Path, metadata: str, expected: list[str]
) -> None:
    path = tmp_path / "metadata.yml"
    path.write_text(metadata)
    code, out = run("build", MODEL, "--metadata", str(path), "--output", str(tmp_path / "site"))
    assert code == 2
    assert str(path) in out and "Traceback" not in out
    for line in expected:
        assert line in out
    assert not (tmp_path / "site").exists()


def test_a_file_that_is_not_onnx_is_named(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"\x00not a model at all" * 10)
    code, out = run("build", str(fake), "--metadata", METADATA, "--output", str(tmp_path / "site"))
    assert code == 2 and str(fake) in out and "not a readable ONNX model" in out


def test_failed_download_names_the_asset_and_how_to_supply_it(tmp_path: Path) -> None:
    env = {"SHIPYARD_CACHE_DIR": str(tmp_path / "cache"), "PATH": str(tmp_path)}  # no npm on PATH
    code, out = run("build", MODEL, "--metadata", METADATA, "--output", str(tmp_path / "s"), env=env)
    assert code == 2
    assert "onnxruntime-web@1.30.0" in out and "npm pack onnxruntime-web@1.30.0" in out
    assert str(tmp_path / "cache" / "tarballs") in out


def test_serve_refuses_a_folder_without_a_site(tmp_path: Path) -> None:
    code, out = run("serve", str(tmp_path))
    assert code == 2 and "holds no index.html" in out
    assert os.listdir(tmp_path) == []


def test_without_node_the_build_says_to_install_it(tmp_path: Path) -> None:
    # The cache holds onnxruntime-web's files (empty: Node never reads them) and no proof.
    ort = tmp_path / "cache" / "npm" / ONNXRUNTIME_WEB.tarball.removesuffix(".tgz")
    ort.mkdir(parents=True)
    for name in ONNXRUNTIME_WEB.names:
        (ort / name).write_bytes(b"")
    record_sizes([ort / name for name in ONNXRUNTIME_WEB.names], sizes_of(ort))
    env = {"SHIPYARD_CACHE_DIR": str(tmp_path / "cache"), "PATH": str(tmp_path)}  # no node on PATH
    code, out = run("build", MODEL, "--metadata", METADATA, "--output", str(tmp_path / "site"), env=env)
    assert code == 2
    assert "Node.js is not installed" in out and "install Node.js 18 or newer" in out
    assert not (tmp_path / "site").exists()
