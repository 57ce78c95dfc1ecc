"""Repairs for models onnxruntime-web refuses: an IR version newer than it reads, and
operator versions it has no kernels for. Each is a rewrite of the site's copy, said in
words, and recorded as data so that a cached proof can make the same copy again.

Lowering the IR version. The IR version says which fields and types a file may use, not
what operators compute (opsets say that). A model is lowered to the newest IR version
onnxruntime-web reads (its own error message names it) when it uses nothing added after
that one: no element type a newer IR added (the table below, from onnx.proto) and no
opaque type (IR 14 made it part of plain ONNX). The opsets a newer onnx release comes
with are no such thing: onnx stamps them with its newest IR, but they change operators,
not the file, and onnxruntime-web says on its own whether it reads them.

Converting the opset. onnx's version converter rewrites the graph for another opset of
the standard domain. For operator versions onnxruntime-web has no kernels for, the
candidates are the opsets above the model's at which one of its operators changes
version, and the lowest one onnxruntime-web opens and runs wins. An opset newer than it
reads is converted down to the newest it does. Either way the result must still compute
what the original does (see `equivalence`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import onnx
from onnx import TensorProto, defs, version_converter

from shipyard.site.npm_assets import ONNXRUNTIME_WEB

ORT = f"onnxruntime-web {ONNXRUNTIME_WEB.version}"
# The IR version that added each element type (onnx.proto's history of IR versions);
# types not listed are older than any IR version onnxruntime-web refuses.
TYPE_IR: dict[int, int] = {
    TensorProto.BFLOAT16: 4,
    TensorProto.FLOAT8E4M3FN: 9,
    TensorProto.FLOAT8E4M3FNUZ: 9,
    TensorProto.FLOAT8E5M2: 9,
    TensorProto.FLOAT8E5M2FNUZ: 9,
    TensorProto.UINT4: 10,
    TensorProto.INT4: 10,
    TensorProto.FLOAT4E2M1: 11,
    TensorProto.FLOAT8E8M0: 12,
    TensorProto.UINT2: 13,
    TensorProto.INT2: 13,
    TensorProto.FLOAT6E2M3: 14,
    TensorProto.FLOAT6E3M2: 14,
}
OPAQUE_IR = 14
# Attributes that name an element type (Cast's `to`, RandomNormal's `dtype`, ...).
TYPE_ATTRIBUTES = ("to", "dtype", "output_dtype")


@dataclass(frozen=True)
class LoweredIr:
    found: int
    to: int

    def describe(self) -> str:
        return (
            f"lowered IR version {self.found} to {self.to}: {ORT} reads at most {self.to}, "
            f"and the model uses nothing IR {self.to} lacks"
        )

    def apply(self, model: onnx.ModelProto) -> onnx.ModelProto:
        lowered = onnx.ModelProto()
        lowered.CopyFrom(model)
        lowered.ir_version = self.to
        return lowered


@dataclass(frozen=True)
class ConvertedOpset:
    found: int
    to: int
    because: str  # what onnxruntime-web lacks, after its name: `has no kernel for AveragePool-1`

    def describe(self) -> str:
        return f"converted opset {self.found} to {self.to}: {ORT} {self.because}"

    def apply(self, model: onnx.ModelProto) -> onnx.ModelProto:
        return version_converter.convert_version(model, self.to)


Repair = LoweredIr | ConvertedOpset
KINDS: dict[str, type[LoweredIr] | type[ConvertedOpset]] = {"ir": LoweredIr, "opset": ConvertedOpset}


def repair_dict(repair: Repair) -> dict[str, Any]:
    kind = next(name for name, cls in KINDS.items() if isinstance(repair, cls))
    return {"kind": kind} | vars(repair)


def repair_from_dict(data: dict[str, Any]) -> Repair:
    fields = {key: value for key, value in data.items() if key != "kind"}
    return KINDS[data["kind"]](**fields)


def newer_than(model: onnx.ModelProto, ir: int) -> list[str]:
    """What in the model needs an IR version newer than `ir`, each with the version it needs."""
    needs = {TensorProto.DataType.Name(t): TYPE_IR[t] for t in _element_types(model) if t in TYPE_IR}
    if any(kind.HasField("opaque_type") for kind in _types(model)):
        needs["an opaque type"] = OPAQUE_IR
    return [f"{what} (IR {version})" for what, version in sorted(needs.items()) if version > ir]


def opset(model: onnx.ModelProto, domain: str = "") -> int:
    """The model's version of an operator set ("" and "ai.onnx" are the standard one), or 0."""
    names = {"", "ai.onnx"} if domain in ("", "ai.onnx") else {domain}
    return next((o.version for o in model.opset_import if o.domain in names), 0)


def opset_candidates(model: onnx.ModelProto) -> list[int]:
    """The opsets above the model's where one of its standard operators changes version."""
    found = opset(model)
    standard = {n.op_type for n in _nodes(model.graph) if n.domain in ("", "ai.onnx")}
    versions = {
        s.since_version for s in defs.get_all_schemas_with_history() if s.name in standard and not s.domain
    }
    newest = defs.onnx_opset_version()
    return sorted(v for v in versions if found < v <= newest)


def converter_reason(error: Exception) -> str:
    """What onnx's converter says went wrong, without its source location and assertion:
    `Attribute is_test must not have value 0`."""
    text = str(error).strip()
    return re.split(r"Assertion `.*?` failed: ", text, maxsplit=1)[-1].strip() or type(error).__name__


def _nodes(graph: onnx.GraphProto) -> Iterator[onnx.NodeProto]:
    """The graph's nodes and those of its subgraphs (If, Loop, Scan bodies)."""
    for each in _graphs(graph):
        yield from each.node


def _graphs(graph: onnx.GraphProto) -> Iterator[onnx.GraphProto]:
    yield graph
    for node in graph.node:
        for attribute in node.attribute:
            for sub in [attribute.g] if attribute.HasField("g") else attribute.graphs:
                yield from _graphs(sub)


def _types(model: onnx.ModelProto) -> Iterator[onnx.TypeProto]:
    """Every type the graphs declare, and the types inside sequences, maps and optionals."""
    for graph in _graphs(model.graph):
        for value in [*graph.input, *graph.output, *graph.value_info]:
            yield from _within(value.type)


def _within(kind: onnx.TypeProto) -> Iterator[onnx.TypeProto]:
    yield kind
    which = kind.WhichOneof("value")
    if which == "sequence_type":
        yield from _within(kind.sequence_type.elem_type)
    elif which == "optional_type":
        yield from _within(kind.optional_type.elem_type)
    elif which == "map_type":
        yield from _within(kind.map_type.value_type)


def _element_types(model: onnx.ModelProto) -> set[int]:
    """The element types of the model's declared values, weights, constants and casts."""
    found = set()
    for kind in _types(model):
        which = kind.WhichOneof("value")
        if which in ("tensor_type", "sparse_tensor_type"):
            found.add(getattr(kind, which).elem_type)
    for graph in _graphs(model.graph):
        found |= {t.data_type for t in graph.initializer}
        found |= {t.values.data_type for t in graph.sparse_initializer}
        for node in graph.node:
            for attribute in node.attribute:
                found |= {t.data_type for t in [attribute.t, *attribute.tensors]}
                if attribute.name in TYPE_ATTRIBUTES and attribute.type == onnx.AttributeProto.INT:
                    found.add(attribute.i)
    return found
