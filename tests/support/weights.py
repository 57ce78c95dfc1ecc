"""Models with weights, written with onnx.helper and numpy for tests: saved in one file or
with external data, and big ones made at test time (never committed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 0


def _model(
    nodes: list[onnx.NodeProto], x: onnx.ValueInfoProto, outputs: int, weights: dict[str, np.ndarray]
) -> onnx.ModelProto:
    """A float32 model from `x` to y [batch, outputs]."""
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, outputs])
    initializers = [numpy_helper.from_array(array, name) for name, array in weights.items()]
    graph = helper.make_graph(nodes, "weights", [x], [y], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _random(*shape: int, seed: int = SEED) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(shape, dtype=np.float32) * 0.1).astype(np.float32)


def mlp(width: int = 16, hidden: int = 64) -> onnx.ModelProto:
    """x [batch, width] → MatMul, Add, Relu, MatMul → y [batch, 4]: two weights past 1 KiB
    and a bias below it."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, width])
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h"]),
        helper.make_node("Add", ["h", "b1"], ["hb"]),
        helper.make_node("Relu", ["hb"], ["r"]),
        helper.make_node("MatMul", ["r", "w2"], ["y"]),
    ]
    weights = {"w1": _random(width, hidden), "b1": _random(hidden, seed=1), "w2": _random(hidden, 4, seed=2)}
    return _model(nodes, x, 4, weights)


def cnn() -> onnx.ModelProto:
    """x [batch, 1, 6, 6] → Conv 3 × 3 (32 channels), Relu, Flatten, MatMul → y [batch, 16]:
    what dynamic quantization turns into ConvInteger and MatMulInteger."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1, 6, 6])
    nodes = [
        helper.make_node("Conv", ["x", "kernel"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Flatten", ["r"], ["f"]),
        helper.make_node("MatMul", ["f", "w"], ["y"]),
    ]
    return _model(nodes, x, 16, {"kernel": _random(32, 1, 3, 3), "w": _random(32 * 36, 16, seed=1)})


def matmul(width: int) -> onnx.ModelProto:
    """x [batch, width] → MatMul by one [width, width] float32 weight: width² × 4 bytes."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, width])
    weight = np.random.default_rng(SEED).standard_normal((width, width), dtype=np.float32) * 0.01
    return _model([helper.make_node("MatMul", ["x", "w"], ["y"])], x, width, {"w": weight})


def save_external(model: onnx.ModelProto, path: Path, location: str | None) -> Path:
    """`model` saved in `path` with every tensor of 64 bytes or more as external data: all
    in the file `location`, or each in a file of its own (named after it) when None."""
    one_file = location is not None
    onnx.save(
        model,
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=one_file,
        location=location,
        size_threshold=64,
    )
    return path


def save_one_file(model: onnx.ModelProto, path: Path) -> Path:
    onnx.save(model, str(path))
    return path
