"""Small ONNX models written with onnx.helper for tests, and metadata to match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import onnx
import yaml
from onnx import TensorProto, helper

from shipyard_runtime.dtypes import DTYPES


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
