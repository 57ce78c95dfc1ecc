"""The build's proof in the site's own onnxruntime-web (Node): models it refuses as they are
are repaired, the build says how, and the site's model.onnx then runs in that runtime. The
refusals are in test_validation.py, with every other refused build."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx

from shipyard.model.ort_node import OrtNode
from tests.support.cli import run
from tests.support.refused_models import backend_case, backend_model, gemm6_model, ir14_model

AVG_POOL = "pytorch-converted/test_AvgPool1d"


def build(model: Path, output: Path, env: dict[str, str] | None = None) -> list[str]:
    """`shipyard build MODEL` without metadata or snapshot; the rewrites it reports."""
    code, out = run("build", str(model), "--output", str(output), "--no-snapshot", env=env)
    assert code == 0, out
    prefix = "Rewrote for the browser: "
    return [line.removeprefix(prefix) for line in out.splitlines() if line.startswith(prefix)]


def test_a_model_with_onnx_helpers_defaults_builds_with_its_ir_and_opset_lowered(tmp_path: Path) -> None:
    rewrites = build(ir14_model(tmp_path / "relu.onnx"), tmp_path / "site")
    assert rewrites == [
        "lowered IR version 14 to 13: onnxruntime-web 1.30.0 reads at most 13, and the model uses "
        "nothing IR 13 lacks",
        "converted opset 28 to 26: onnxruntime-web 1.30.0 reads ai.onnx opsets up to 26, and the model's "
        "is 28",
    ]
    shipped = onnx.load(str(tmp_path / "site" / "model.onnx"))
    assert (shipped.ir_version, shipped.opset_import[0].version) == (13, 26)
    x = np.array([[-1.5, 0.0, 2.5]], np.float32)
    with OrtNode() as ort:
        (outputs,) = ort.run(tmp_path / "site" / "model.onnx", [{"x": x}]).runs
    assert isinstance(outputs, dict) and outputs["y"].tolist() == [[0.0, 0.0, 2.5]]


def test_an_opset_6_model_builds_converted_and_the_site_computes_its_reference(tmp_path: Path) -> None:
    rewrites = build(backend_model(AVG_POOL, tmp_path / "pool.onnx"), tmp_path / "site")
    assert rewrites == ["converted opset 6 to 7: onnxruntime-web 1.30.0 has no kernel for AveragePool-1"]
    inputs, (expected,) = backend_case(AVG_POOL)
    with OrtNode() as ort:
        (outputs,) = ort.run(tmp_path / "site" / "model.onnx", [inputs]).runs
    assert isinstance(outputs, dict)
    np.testing.assert_allclose(next(iter(outputs.values())), expected, rtol=1e-3, atol=1e-5)


def test_a_proof_that_passed_is_replayed_without_node(tmp_path: Path) -> None:
    model = gemm6_model(tmp_path / "gemm.onnx")
    first = build(model, tmp_path / "first")
    assert first == ["converted opset 6 to 7: onnxruntime-web 1.30.0 has no kernel for Gemm-6"]
    assert build(model, tmp_path / "again", env={"PATH": str(tmp_path)}) == first  # no node on PATH
    assert (tmp_path / "again" / "model.onnx").read_bytes() == (
        tmp_path / "first" / "model.onnx"
    ).read_bytes()
