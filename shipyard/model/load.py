"""What the ONNX file says: signature, opsets, producer, size, and whether a browser can run it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import onnx
from google.protobuf.message import DecodeError

from shipyard.errors import ModelError, Problem
from shipyard_runtime.dtypes import BY_ONNX, DTYPES

Dim = int | str | None
# protobuf cannot parse a message past 2 GiB, and a browser ArrayBuffer of the model is capped alike.
SIZE_LIMIT = 2**31 - 1


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
    """Parse the file (without external data); a file that is not ONNX is a ModelError."""
    size = path.stat().st_size
    if size > SIZE_LIMIT:
        raise ModelError(f"is {size / 2**30:.1f} GiB: past the 2 GiB protobuf limit", file=path)
    try:
        model = onnx.load(str(path), load_external_data=False)
    except (OSError, DecodeError, ValueError, RuntimeError) as error:
        raise ModelError(f"not a readable ONNX model ({error})", file=path) from None
    if not model.graph.output or not model.opset_import:
        raise ModelError("not a readable ONNX model: no graph outputs or no opset (truncated?)", file=path)
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
        size=path.stat().st_size,
        producer=" ".join(p for p in (model.producer_name, model.producer_version) if p),
        doc_string=model.doc_string,
        opsets={o.domain or "ai.onnx": o.version for o in model.opset_import},
        metadata_props={p.key: p.value for p in model.metadata_props},
        signature=signature,
        problems=_browser_problems(path, model, signature),
    )


def external_data_files(model: onnx.ModelProto) -> list[str]:
    """The files the model's initializers keep their data in, if any."""
    files = []
    for tensor in model.graph.initializer:
        if tensor.data_location == onnx.TensorProto.EXTERNAL:
            files += [e.value for e in tensor.external_data if e.key == "location"]
    return sorted(set(files))


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
    for name in external_data_files(model):
        where = path.parent / name
        state = "is missing" if not where.is_file() else "is not supported yet: save the model as one file"
        problems.append(Problem("", f"external data file {name} {state}"))
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
