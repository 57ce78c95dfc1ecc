"""`shipyard inspect`: what a model is, and a verdict from the check `shipyard build` makes
in the site's own onnxruntime-web, so that the two never disagree."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import onnx
import pytest
from onnx import TensorProto, helper

from tests.support import classifiers
from tests.support.cli import run
from tests.support.models import save
from tests.support.refused_models import backend_model
from tests.support.sites import EXAMPLES


def housing(path: Path) -> Path:
    path.write_bytes((EXAMPLES / "housing" / "model.onnx").read_bytes())
    return path


MODELS: dict[str, Callable[[Path], Path]] = {
    "runs as it is": housing,
    "runs repaired": lambda path: backend_model("pytorch-converted/test_BatchNorm1d_3d_input_eval", path),
    "cannot run": lambda path: backend_model("pytorch-converted/test_PReLU_2d_multiparam", path),
}


@pytest.mark.parametrize("case", sorted(MODELS))
def test_inspect_gives_the_verdict_build_acts_on(case: str, tmp_path: Path) -> None:
    model = MODELS[case](tmp_path / "model.onnx")
    code, out = run("inspect", str(model), "--json")
    assert code == 0, out
    report = json.loads(out)
    built, said = run("build", str(model), "--output", str(tmp_path / "site"), "--no-snapshot")
    assert report["runs_in_browser"] == (built == 0) == (case != "cannot run"), said
    assert [f"Rewrote for the browser: {text}" for text in report["rewrites"]] == [
        line for line in said.splitlines() if line.startswith("Rewrote for the browser: ")
    ]
    assert all(problem in said for problem in report["problems"])
    if case == "runs repaired":
        assert report["rewrites"] == [
            "converted opset 6 to 7: onnxruntime-web 1.30.0 has no kernel for BatchNormalization-6"
        ]
        assert "verdict: runs in the browser after the rewrites above" in run("inspect", str(model))[1]
    if case == "cannot run":
        verdict = "cannot run in the browser as it is:\n  - onnxruntime-web 1.30.0 has no kernel for PRelu-6"
        assert verdict in run("inspect", str(model))[1]


def test_inspect_reports_signature_opsets_size_and_verdict(tmp_path: Path) -> None:
    model = classifiers.forest_strings(tmp_path / "wine.onnx")
    code, out = run("inspect", str(model))
    assert code == 0
    assert "X: float32 [?, 13]" in out and "output_probability: sequence" in out
    assert "ai.onnx.ml" in out and "skl2onnx" in out
    assert "verdict: runs in the browser after the rewrites above" in out
    report = json.loads(run("inspect", str(model), "--json")[1])
    assert report["runs_in_browser"] is True
    assert report["outputs"][1] == {"name": "output_probability", "kind": "sequence"}
    assert report["size"] == model.stat().st_size


def test_inspect_shortens_long_metadata_and_json_keeps_it_whole(tmp_path: Path) -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])
    path = save(
        helper.make_graph([helper.make_node("Neg", ["x"], ["y"])], "g", [x], [y]), tmp_path / "m.onnx"
    )
    vocabulary = "\n".join(f"word{n}" for n in range(1000))  # 7,889 characters
    model = onnx.load(str(path))
    helper.set_model_props(model, {"vocabulary": vocabulary, "name": "Negation"})
    onnx.save(model, str(path))
    text = run("inspect", str(path))[1]
    start = vocabulary[:80].replace("\n", "\\n")
    assert f"metadata: vocabulary = {start}… (7,889 characters)\n" in text
    assert "metadata: name = Negation\n" in text and "word999" not in text
    assert json.loads(run("inspect", str(path), "--json")[1])["metadata_props"]["vocabulary"] == vocabulary
