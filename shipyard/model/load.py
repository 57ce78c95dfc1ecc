"""What the ONNX file says: signature, opsets, producer, size, and whether a browser can run it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import onnx
from google.protobuf.message import DecodeError

from shipyard.errors import ModelError, Problem
from shipyard.model.external import Extent, data_files, data_problems, extent_problems, external_tensors
from shipyard.model.skeleton import read_skeleton
from shipyard_runtime.dtypes import BY_ONNX, DTYPES

Dim = int | str | None
# protobuf cannot parse a message past 2 GiB: bigger models keep their weights in other files.
SIZE_LIMIT = 2**31 - 1
# onnxruntime-web's wasm build addresses 4 GiB of memory, which must hold the weights and
# more; a tensor of 2 GiB overflows its sizes ("Integer overflow"; 1.97 GiB ran).
MEMORY_LIMIT = 2**32
TENSOR_LIMIT = 2**31


@dataclass(frozen=True)
class TensorSignature:
    name: str
    type_name: str  # an entry of the dtype table, or the ONNX type's own name
    shape: tuple[Dim, ...] | None  # None when the graph does not say
    kind: str = "tensor"  # "tensor", or the ONNX value kind: "sequence", "map", ...

    @property
    def is_tensor(self) -> bool:
        return self.kind == "tensor"


@dataclass(frozen=True)
class Signature:
    inputs: tuple[TensorSignature, ...]
    outputs: tuple[TensorSignature, ...]


@dataclass(frozen=True)
class ModelInfo:
    """What `shipyard inspect` reports, and what inference starts from."""

    path: Path
    size: int
    producer: str
    doc_string: str
    opsets: dict[str, int]
    metadata_props: dict[str, str]
    signature: Signature
    problems: list[Problem] = field(default_factory=list)  # why a browser cannot run it as is


def load_model(path: Path) -> onnx.ModelProto:
    """Parse the file, its weights left in their files (see `skeleton`); a file that is not
    ONNX is a ModelError."""
    size = path.stat().st_size
    if size > SIZE_LIMIT:
        raise ModelError(f"is {size / 2**30:.1f} GiB: past the 2 GiB protobuf limit", file=path)
    try:
        model = read_skeleton(path)
    except (OSError, DecodeError, ValueError, RuntimeError) as error:
        raise ModelError(f"not a readable ONNX model ({error})", file=path) from None
    if not model.graph.output or not model.opset_import:
        raise ModelError("not a readable ONNX model: no graph outputs or no opset (truncated?)", file=path)
    problems = extent_problems(model)
    if problems:
        raise ModelError(problems, file=path)
    return model


def read_signature(model: onnx.ModelProto) -> Signature:
    """The graph's inputs (initializers excluded) and outputs."""
    graph = model.graph
    initializers = {i.name for i in graph.initializer}
    inputs = tuple(_tensor(v) for v in graph.input if v.name not in initializers)
    return Signature(inputs, tuple(_tensor(v) for v in graph.output))


def inspect_model(path: Path, model: onnx.ModelProto) -> ModelInfo:
    signature = read_signature(model)
    return ModelInfo(
        path=path,
        size=model_size(path, model),
        producer=" ".join(p for p in (model.producer_name, model.producer_version) if p),
        doc_string=model.doc_string,
        opsets={o.domain or "ai.onnx": o.version for o in model.opset_import},
        metadata_props={p.key: p.value for p in model.metadata_props},
        signature=signature,
        problems=_browser_problems(path, model, signature),
    )


def model_files(path: Path, model: onnx.ModelProto) -> list[Path]:
    """The model's file, then the other files that hold its weights."""
    return [path, *(file for file in data_files(model, path.parent) if file != path)]


def model_size(path: Path, model: onnx.ModelProto) -> int:
    """The bytes of the model's file and of the files that hold its weights."""
    return sum(file.stat().st_size for file in model_files(path, model))


def _browser_problems(path: Path, model: onnx.ModelProto, signature: Signature) -> list[Problem]:
    problems = []
    for output in signature.outputs:
        if not output.is_tensor:
            reason = f"is a {output.kind}, not a tensor: onnxruntime-web cannot return it"
            problems.append(Problem("", f"output {output.name!r} {reason}"))
        elif output.type_name not in DTYPES:
            problems.append(
                Problem("", f"output {output.name!r} is {output.type_name}, which shipyard cannot show")
            )
    for tensor in signature.inputs:
        if tensor.type_name not in DTYPES:
            problems.append(
                Problem("", f"input {tensor.name!r} is {tensor.type_name}, which shipyard cannot send")
            )
    return problems + data_problems(model, path.parent) + _size_problems(path, model)


def _size_problems(path: Path, model: onnx.ModelProto) -> list[Problem]:
    size = model_size(path, model)
    problems = []
    if size > MEMORY_LIMIT:
        reason = "past the 4 GiB of memory onnxruntime-web's wasm build can address"
        problems.append(Problem("", f"is {size / 2**30:.1f} GiB with its weights: {reason}"))
    for what, tensor in external_tensors(model):
        length = Extent.of(tensor).length or 0
        if length >= TENSOR_LIMIT:
            reason = "onnxruntime-web's wasm build cannot hold a tensor of 2 GiB or more"
            problems.append(Problem("", f"{what} is {length / 2**30:.2f} GiB: {reason}"))
    return problems


def _tensor(value: onnx.ValueInfoProto) -> TensorSignature:
    kind = value.type.WhichOneof("value")
    if kind != "tensor_type":
        return TensorSignature(value.name, "", None, (kind or "unknown").removesuffix("_type"))
    tensor = value.type.tensor_type
    dtype = BY_ONNX.get(tensor.elem_type)
    type_name = dtype.name if dtype else onnx.TensorProto.DataType.Name(tensor.elem_type).lower()
    shape = tuple(_dim(d) for d in tensor.shape.dim) if tensor.HasField("shape") else None
    return TensorSignature(value.name, type_name, shape)


def _dim(dim: onnx.TensorShapeProto.Dimension) -> Dim:
    """A size, a name, or None (dynamic); a negative size (Paddle writes -1) is dynamic too."""
    if dim.HasField("dim_value") and dim.dim_value >= 0:
        return dim.dim_value
    return dim.dim_param or None
