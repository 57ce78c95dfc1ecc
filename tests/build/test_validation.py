"""Every way a build can be refused: one clear message (file, key, reason), exit code 2,
no traceback, and the previous site left exactly as it was."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import onnx
import pytest
from click.testing import CliRunner
from onnx import TensorProto, helper

from shipyard.cli import main
from tests.support.refused_models import backend_model, bad_reshape_model, float6_model, padded_pool_model
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
GOOD = (HOUSING / "metadata.yml").read_text()


def metadata(text: str) -> Callable[[Path], tuple[Path, Path | None]]:
    def make(folder: Path) -> tuple[Path, Path | None]:
        (folder / "metadata.yml").write_text(text)
        return HOUSING / "model.onnx", folder / "metadata.yml"

    return make


def model_file(write: Callable[[Path], object]) -> Callable[[Path], tuple[Path, Path | None]]:
    def make(folder: Path) -> tuple[Path, Path | None]:
        write(folder / "model.onnx")
        return folder / "model.onnx", None

    return make


def truncated(path: Path) -> None:
    path.write_bytes((HOUSING / "model.onnx").read_bytes()[:5000])


def too_large(path: Path) -> None:
    with open(path, "wb") as file:  # sparse: costs no disk
        file.truncate(2**31)


def missing_external_data(path: Path) -> None:
    weights = helper.make_tensor("w", TensorProto.FLOAT, [1], struct.pack("<f", 2.0), raw=True)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])
    graph = helper.make_graph([helper.make_node("Mul", ["x", "w"], ["y"])], "g", [x], [y], [weights])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, str(path), save_as_external_data=True, location="weights.bin", size_threshold=0)
    (path.parent / "weights.bin").unlink()


CASES = {
    "key not in the model": (
        metadata(GOOD.replace("  Latitude:", "  Lattitude:")),
        ["inputs.Lattitude", "not in the model (did you mean 'Latitude'?"],
    ),
    "model input missing": (
        metadata(GOOD.replace("  Latitude:", "  #").replace("    name: Latitude", "    #")),
        ["inputs: the model's input 'Latitude' is missing"],
    ),
    "type differs": (
        metadata(
            GOOD.replace(
                "type: float32\n    shape: [null, 1]\n    min: 1\n    max: 52",
                "type: int64\n    shape: [null, 1]\n    min: 1\n    max: 52",
            )
        ),
        ["inputs.HouseAge.type: int64, but the model says float32"],
    ),
    "rank contradicts": (
        metadata(GOOD.replace("shape: [null, 1]\n    min: 0.5", "shape: [null, 1, 1]\n    min: 0.5")),
        ["inputs.MedInc.shape: rank 3, but the model's is 2"],
    ),
    "fixed dimension contradicts": (
        metadata(GOOD.replace("shape: [null, 1]\n    min: 0.5", "shape: [null, 2]\n    min: 0.5")),
        ["inputs.MedInc.shape[1]: 2, but the model fixes it at 1"],
    ),
    "min greater than max": (metadata(GOOD.replace("min: 32.5", "min: 43")), ["inputs.Latitude.min: min 43"]),
    "default out of range": (
        metadata(GOOD.replace("default: 37.77", "default: 99")),
        ["inputs.Latitude.default: must be at most 42"],
    ),
    "default not of its type": (
        metadata(GOOD.replace("default: 37.77", "default: north")),
        ["inputs.Latitude.default: 'north' is not a number"],
    ),
    "unknown field": (
        metadata(GOOD.replace("step: 0.01", "stepp: 0.01")),
        ["inputs.Latitude.stepp: unknown field (did you mean 'step'?)"],
    ),
    "bad YAML": (metadata(GOOD.replace("  MedInc:", "  MedInc: [")), ["line ", "invalid YAML"]),
    "not ONNX": (model_file(lambda p: p.write_text("hello")), ["not a readable ONNX model"]),
    "truncated ONNX": (model_file(truncated), ["not a readable ONNX model"]),
    "over 2 GB": (model_file(too_large), ["past the 2 GiB protobuf limit"]),
    "external data missing": (
        model_file(missing_external_data),
        ["external data file weights.bin is missing"],
    ),
    # The check in the site's own onnxruntime-web, in Node.
    "no kernel, and no conversion helps": (
        model_file(lambda path: backend_model("pytorch-converted/test_PReLU_1d_multiparam", path)),
        [
            "onnxruntime-web 1.30.0 has no kernel for PRelu-6 (ai.onnx opset 6); converting the opset "
            "does not help: converted to opset 7, it cannot run the model: PRelu (ai.onnx opset 7) failed: "
            "Attempting to broadcast an axis by a dimension other than 1. 3 by 4 (tried 7, 9, 16)"
        ],
    ),
    "a repair that changes the results": (
        model_file(padded_pool_model),
        [
            "the repair (converted opset 6 to 7: onnxruntime-web 1.30.0 has no kernel for AveragePool-1 "
            "(node 'pool')) is refused, for it changes the results: AveragePool-1 → AveragePool-7 "
            "(node 'pool') computes other values; output 'y' [0, 0, 0, 0] is ",
        ],
    ),
    "an IR version that cannot be lowered": (
        model_file(float6_model),
        [
            "onnxruntime-web 1.30.0 reads IR versions up to 13, and the model's is 14: "
            "it uses FLOAT6E2M3 (IR 14)"
        ],
    ),
    "a model that fails on its defaults": (
        model_file(bad_reshape_model),
        [
            "onnxruntime-web 1.30.0 cannot run the model: Reshape (ai.onnx opset 17, node 'flatten') failed: "
            "The input tensor cannot be reshaped to the requested shape. Input shape:{1,3}, requested "
            "shape:{2,2}, on the metadata's defaults (zeros where it gives none)"
        ],
    ),
}


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("previous") / "site"
    result = CliRunner().invoke(main, ["build", str(HOUSING / "model.onnx"), "--output", str(site)])
    assert result.exit_code == 0, result.output
    return site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_build_names_file_key_and_reason_and_keeps_the_site(
    case: str, tmp_path: Path, previous_site: Path
) -> None:
    make, expected = CASES[case]
    model, meta = make(tmp_path)
    before = snapshot(previous_site)
    args = ["build", str(model), "--output", str(previous_site)] + (["--metadata", str(meta)] if meta else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert str(meta or model) in result.output and "ERROR_CODE" not in result.output
    for text in expected:
        assert text in result.output
    assert snapshot(previous_site) == before
