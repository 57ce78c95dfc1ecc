"""Small ONNX models written with onnx.helper for tests, and metadata to match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import onnx
import yaml
from onnx import TensorProto, helper

from shipyard.build import build_site
from shipyard_runtime.dtypes import DTYPES

Tensor = tuple[str, str, list[int | str | None]]  # name, type, shape

# Two values of each type at its limits, for the identity model (see `identity_model`).
EXTREMES = {
    "float32": [-3.4028234663852886e38, 1.5],
    "float64": [-1.7976931348623157e308, 2.2250738585072014e-308],
    "int8": [-128, 127],
    "uint8": [0, 255],
    "int16": [-32768, 32767],
    "uint16": [0, 65535],
    "int32": [-(2**31), 2**31 - 1],
    "uint32": [0, 2**32 - 1],
    # JS numbers hold integers exactly up to 2**53; tests/e2e/test_types.py tries larger ones as BigInt.
    "int64": [-(2**53), 2**53],
    "uint64": [0, 2**53],
    "bool": [True, False],
    "string": ["", "héllo <b>wörld</b> 🚢"],
}


def save(graph: onnx.GraphProto, path: Path, opset: int = 17) -> Path:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def identity_model(path: Path) -> Path:
    """One [null, 2] input per supported type, each returned as is by an Identity node."""
    nodes, inputs, outputs = [], [], []
    for dtype in DTYPES.values():
        inputs.append(helper.make_tensor_value_info(f"in_{dtype.name}", dtype.onnx, [None, 2]))
        outputs.append(helper.make_tensor_value_info(f"out_{dtype.name}", dtype.onnx, [None, 2]))
        nodes.append(helper.make_node("Identity", [f"in_{dtype.name}"], [f"out_{dtype.name}"]))
    return save(helper.make_graph(nodes, "identity", inputs, outputs), path)


def identity_metadata(path: Path) -> Path:
    tensor = {"shape": [None, 2]}
    data: dict[str, Any] = {
        "name": "Every type",
        "inputs": {f"in_{n}": {"name": n, "type": n, **tensor} for n in DTYPES},
        "outputs": {f"out_{n}": {"name": n, "type": n, **tensor} for n in DTYPES},
    }
    path.write_text(yaml.safe_dump(data))
    return path


def gather_model(path: Path) -> Path:
    """Picks row `index` of a 3-row table: an index out of range makes onnxruntime fail."""
    table = helper.make_tensor("table", TensorProto.FLOAT, [3], [10.0, 20.0, 30.0])
    index = helper.make_tensor_value_info("index", TensorProto.INT64, [1])
    value = helper.make_tensor_value_info("value", TensorProto.FLOAT, [1])
    node = helper.make_node("Gather", ["table", "index"], ["value"])
    return save(helper.make_graph([node], "gather", [index], [value], [table]), path)


def shapes_model(path: Path) -> Path:
    """Whole fixed-shape inputs: `x` [3, 2] gives its row sums `y` [3] and itself `x_out`;
    `cube` [batch, 2, 2, 3] and `big` [batch, 9, 9] (past the grid limit) come back as they are."""
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [1])
    nodes = [
        helper.make_node("ReduceSum", ["x", "axes"], ["y"], keepdims=0),
        helper.make_node("Identity", ["x"], ["x_out"]),
        helper.make_node("Identity", ["cube"], ["cube_out"]),
        helper.make_node("Identity", ["big"], ["big_out"]),
    ]
    inputs = [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 2]),
        helper.make_tensor_value_info("cube", TensorProto.INT32, ["batch", 2, 2, 3]),
        helper.make_tensor_value_info("big", TensorProto.FLOAT, ["batch", 9, 9]),
    ]
    outputs = [
        helper.make_tensor_value_info("y", TensorProto.FLOAT, [3]),
        helper.make_tensor_value_info("x_out", TensorProto.FLOAT, [3, 2]),
        helper.make_tensor_value_info("cube_out", TensorProto.INT32, ["batch", 2, 2, 3]),
        helper.make_tensor_value_info("big_out", TensorProto.FLOAT, ["batch", 9, 9]),
    ]
    return save(helper.make_graph(nodes, "shapes", inputs, outputs, [axes]), path)


def edge_model(path: Path) -> Path:
    """Symbolic dimensions, two outputs, and an input the graph never reads."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])
    unused = helper.make_tensor_value_info("unused", TensorProto.INT64, ["batch", 1])
    total = helper.make_tensor_value_info("total", TensorProto.FLOAT, ["batch", 1])
    double = helper.make_tensor_value_info("double", TensorProto.FLOAT, ["batch", 3])
    nodes = [
        helper.make_node("ReduceSum", ["x", "axes"], ["total"], keepdims=1),
        helper.make_node("Add", ["x", "x"], ["double"]),
    ]
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [1])
    graph = helper.make_graph(nodes, "edge", [x, unused], [total, double], [axes])
    return save(graph, path)


def widgets_model(path: Path) -> Path:
    """Returns each input as is: a string colour, a float level and a string note."""
    names = {"colour": TensorProto.STRING, "level": TensorProto.FLOAT, "note": TensorProto.STRING}
    inputs = [helper.make_tensor_value_info(n, t, [1]) for n, t in names.items()]
    outputs = [helper.make_tensor_value_info(f"{n}_out", t, [1]) for n, t in names.items()]
    nodes = [helper.make_node("Identity", [n], [f"{n}_out"]) for n in names]
    return save(helper.make_graph(nodes, "widgets", inputs, outputs), path)


def image_model(path: Path) -> Path:
    """A photo [batch, 3, 16, 24] (NCHW, values 0..1) gives its `negative` (1 − x) and its
    mean `brightness`; the shapes make shipyard infer a picture input and a picture output."""
    shape = ["batch", 3, 16, 24]
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    nodes = [
        helper.make_node("Sub", ["one", "photo"], ["negative"]),
        helper.make_node("ReduceMean", ["photo"], ["brightness"], axes=[1, 2, 3], keepdims=0),
    ]
    inputs = [helper.make_tensor_value_info("photo", TensorProto.FLOAT, shape)]
    outputs = [
        helper.make_tensor_value_info("negative", TensorProto.FLOAT, shape),
        helper.make_tensor_value_info("brightness", TensorProto.FLOAT, ["batch"]),
    ]
    return save(helper.make_graph(nodes, "image", inputs, outputs, [one]), path)


def keyed_identity_model(path: Path, inputs: dict[str, Any]) -> Path:
    """A model that returns each input (of its metadata's type and shape) as `<key>_out`."""
    nodes, graph_inputs, graph_outputs = [], [], []
    for key, spec in inputs.items():
        onnx_type, shape = DTYPES[spec["type"]].onnx, spec["shape"]
        graph_inputs.append(helper.make_tensor_value_info(key, onnx_type, shape))
        graph_outputs.append(helper.make_tensor_value_info(f"{key}_out", onnx_type, shape))
        nodes.append(helper.make_node("Identity", [key], [f"{key}_out"]))
    return save(helper.make_graph(nodes, "identity", graph_inputs, graph_outputs), path)


def keyed_identity_site(folder: Path, inputs: dict[str, Any]) -> Path:
    """A site built in `folder` for `keyed_identity_model`, with `inputs` as its metadata."""
    model = keyed_identity_model(folder / "m.onnx", inputs)
    (folder / "m.yml").write_text(yaml.safe_dump({"inputs": inputs}))
    build_site(model, folder / "m.yml", folder / "site")
    return folder / "site"


def signature_model(path: Path, inputs: list[Tensor], output_types: list[str]) -> Path:
    """Each input `name` to an output `<name>_out` of its shape: as it is (Identity), or cast to
    the type `output_types` gives it."""
    nodes, graph_inputs, graph_outputs = [], [], []
    for (name, type_name, shape), out_type in zip(inputs, output_types, strict=True):
        graph_inputs.append(helper.make_tensor_value_info(name, DTYPES[type_name].onnx, shape))
        graph_outputs.append(helper.make_tensor_value_info(f"{name}_out", DTYPES[out_type].onnx, shape))
        if out_type == type_name:
            nodes.append(helper.make_node("Identity", [name], [f"{name}_out"]))
        else:
            nodes.append(helper.make_node("Cast", [name], [f"{name}_out"], to=DTYPES[out_type].onnx))
    return save(helper.make_graph(nodes, "signature", graph_inputs, graph_outputs), path)
