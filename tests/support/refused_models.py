"""Models onnxruntime-web refuses as they are, for the build's check in the site's own
runtime: old opsets and new IR versions it repairs, and models no repair helps. Small,
written with onnx.helper, or copied from the onnx wheel's own backend test data."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# The onnx wheel's backend test models, each with reference inputs and outputs.
BACKEND = Path(onnx.__file__).parent / "backend" / "test" / "data"
FLOAT = TensorProto.FLOAT


def backend_model(name: str, path: Path) -> Path:
    """A copy of a backend test model (`pytorch-converted/test_AvgPool1d`) at `path`."""
    shutil.copyfile(BACKEND / name / "model.onnx", path)
    return path


def backend_case(name: str) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """A backend test model's first reference inputs (by graph input name) and outputs."""
    folder = BACKEND / name
    model = onnx.load(str(folder / "model.onnx"))
    weights = {tensor.name for tensor in model.graph.initializer}
    names = [value.name for value in model.graph.input if value.name not in weights]
    data = folder / "test_data_set_0"
    inputs = {
        n: numpy_helper.to_array(onnx.load_tensor(str(data / f"input_{i}.pb"))) for i, n in enumerate(names)
    }
    outputs = [numpy_helper.to_array(onnx.load_tensor(str(p))) for p in sorted(data.glob("output_*.pb"))]
    return inputs, outputs


def ir14_model(path: Path) -> Path:
    """y = relu(x) as `onnx.helper.make_model` writes it by default: IR 14 and onnx's newest
    opset, both newer than onnxruntime-web 1.30 reads."""
    x = helper.make_tensor_value_info("x", FLOAT, [None, 3])
    y = helper.make_tensor_value_info("y", FLOAT, [None, 3])
    model = helper.make_model(helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "relu", [x], [y]))
    onnx.save(model, str(path))
    return path


def float6_model(path: Path) -> Path:
    """IR 14 that cannot be lowered: x goes through FLOAT6E2M3, a type IR 14 added."""
    x = helper.make_tensor_value_info("x", FLOAT, [None, 2])
    y = helper.make_tensor_value_info("y", FLOAT, [None, 2])
    nodes = [
        helper.make_node("Cast", ["x"], ["small"], to=TensorProto.FLOAT6E2M3),
        helper.make_node("Cast", ["small"], ["y"], to=FLOAT),
    ]
    onnx.save(helper.make_model(helper.make_graph(nodes, "float6", [x], [y])), str(path))
    return path


def _opset6(
    nodes: list[onnx.NodeProto],
    path: Path,
    *,
    shape: list[int | None],
    weights: Sequence[onnx.TensorProto] = (),
) -> Path:
    x = helper.make_tensor_value_info("x", FLOAT, shape)
    y = helper.make_tensor_value_info("y", FLOAT, None)
    model = helper.make_model(
        helper.make_graph(nodes, "old", [x], [y], list(weights)), opset_imports=[helper.make_opsetid("", 6)]
    )
    model.ir_version = 4  # the first that lets weights be other than graph inputs
    onnx.save(model, str(path))
    return path


def gemm6_model(path: Path) -> Path:
    """y = x·Wᵀ + b, x [2, 3], with Gemm-6 (its `broadcast` attribute), which onnxruntime has
    no kernel for: converting to opset 7 repairs it (onnx's converter needs fixed sizes)."""
    weights = [
        numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(2, 3) / 4, "w"),
        numpy_helper.from_array(np.array([0.5, -1.0], np.float32), "b"),
    ]
    gemm = helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=1, broadcast=1)
    return _opset6([gemm], path, shape=[2, 3], weights=weights)


def padded_pool_model(path: Path) -> Path:
    """AveragePool-1 with pads: onnxruntime has no kernel for it, and converting it to opset 7
    stops counting the padding that onnx's reference evaluator counts."""
    pool = helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], name="pool")
    return _opset6([pool], path, shape=[1, 1, 4, 4])


def bad_reshape_model(path: Path) -> Path:
    """Opens, but fails on any input: a [batch, 3] tensor reshaped to [2, 2]."""
    shape = numpy_helper.from_array(np.array([2, 2], np.int64), "shape")
    x = helper.make_tensor_value_info("x", FLOAT, [None, 3])
    y = helper.make_tensor_value_info("y", FLOAT, None)
    node = helper.make_node("Reshape", ["x", "shape"], ["y"], name="flatten")
    model = helper.make_model(
        helper.make_graph([node], "reshape", [x], [y], [shape]), opset_imports=[helper.make_opsetid("", 17)]
    )
    model.ir_version = 8
    onnx.save(model, str(path))
    return path
