"""What the ONNX file says: its signature, and whether the metadata agrees with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import onnx
from google.protobuf.message import DecodeError

from shipyard_runtime.dtypes import BY_ONNX
from shipyard_runtime.spec import AppSpec, TensorSpec

from .errors import ModelError


@dataclass(frozen=True)
class TensorSignature:
    name: str
    type_name: str  # an entry of the dtype table, or the ONNX type's own name
    shape: tuple[int | str | None, ...] | None  # None when the graph does not say


@dataclass(frozen=True)
class Signature:
    inputs: tuple[TensorSignature, ...]
    outputs: tuple[TensorSignature, ...]


def read_signature(path: Path) -> Signature:
    """The graph's inputs (initializers excluded) and outputs."""
    try:
        model = onnx.load(str(path), load_external_data=False)
    except (OSError, DecodeError, ValueError) as error:
        raise ModelError(f"not a readable ONNX model ({error})", file=path) from None
    graph = model.graph
    if not graph.output:
        raise ModelError("not an ONNX model: the graph has no outputs", file=path)
    initializers = {i.name for i in graph.initializer}
    inputs = tuple(_tensor(v) for v in graph.input if v.name not in initializers)
    return Signature(inputs, tuple(_tensor(v) for v in graph.output))


def _tensor(value: onnx.ValueInfoProto) -> TensorSignature:
    kind = value.type.WhichOneof("value")
    if kind != "tensor_type":
        return TensorSignature(value.name, kind or "unknown", None)
    tensor = value.type.tensor_type
    dtype = BY_ONNX.get(tensor.elem_type)
    type_name = dtype.name if dtype else onnx.TensorProto.DataType.Name(tensor.elem_type).lower()
    shape = tuple(_dim(d) for d in tensor.shape.dim) if tensor.HasField("shape") else None
    return TensorSignature(value.name, type_name, shape)


def _dim(dim: onnx.TensorShapeProto.Dimension) -> int | str | None:
    if dim.HasField("dim_value"):
        return dim.dim_value
    return dim.dim_param or None


def check_against(app: AppSpec, signature: Signature, model: Path, metadata: Path | str) -> None:
    """Raise ModelError naming every place where the metadata and the model disagree."""
    problems = _compare("inputs", app.inputs, signature.inputs)
    problems += _compare("outputs", app.outputs, signature.outputs)
    missing = [s.name for s in signature.inputs if s.name not in {i.key for i in app.inputs}]
    problems += [f"inputs: the model's input {name!r} is missing" for name in missing]
    if problems:
        raise ModelError(f"does not match {model.name}:\n  " + "\n  ".join(problems), file=metadata)


def _compare(section: str, specs: tuple[TensorSpec, ...], actual: tuple[TensorSignature, ...]) -> list[str]:
    by_name = {s.name: s for s in actual}
    problems = []
    for spec in specs:
        real = by_name.get(spec.key)
        if real is None:
            names = ", ".join(by_name) or "none"
            problems.append(f"{section}.{spec.key}: not in the model (its {section}: {names})")
        elif real.type_name != spec.dtype.name:
            problems.append(
                f"{section}.{spec.key}.type: {spec.dtype.name}, but the model says {real.type_name}"
            )
        elif real.shape is not None and len(real.shape) != len(spec.shape):
            problems.append(
                f"{section}.{spec.key}.shape: rank {len(spec.shape)}, but the model's is {len(real.shape)}"
            )
    return problems
