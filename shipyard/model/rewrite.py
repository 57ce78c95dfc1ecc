"""What the site's copy of a model changes, and the first such change: every output a
tensor, for onnxruntime-web cannot return sequences or maps. (The repairs for models it
cannot open are in `repair`.)

scikit-learn classifiers exported with default options end in a ZipMap: the
probabilities tensor becomes a sequence of {class: probability} maps. The copy
of the model that goes into a site replaces each ZipMap by an Identity, so the
output keeps its name and carries the same probabilities as a [N, classes]
tensor, in the ZipMap's class order. Nothing upstream changes, so labels and
probabilities stay identical to the original model's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import onnx
from onnx import helper


class Rewrite(Protocol):
    """One change to the site's copy of the model, said in words for the build's output and
    `shipyard inspect`."""

    def describe(self) -> str: ...


@dataclass(frozen=True)
class ZipMapRewrite:
    output: str
    labels: tuple[str | int, ...]

    def describe(self) -> str:
        return f"{self.output}: ZipMap replaced by a float32 tensor [N, {len(self.labels)}]"


def zipmap_labels(node: onnx.NodeProto) -> tuple[str | int, ...]:
    for attribute in node.attribute:
        if attribute.name == "classlabels_strings":
            return tuple(s.decode() for s in attribute.strings)
        if attribute.name == "classlabels_int64s":
            return tuple(attribute.ints)
    return ()


def tensor_outputs(model: onnx.ModelProto) -> tuple[onnx.ModelProto, list[Rewrite]]:
    """A copy of `model` whose ZipMap outputs are tensors, and what was rewritten."""
    outputs = {o.name for o in model.graph.output}
    if not any(n.op_type == "ZipMap" and n.output[0] in outputs for n in model.graph.node):
        return model, []
    rewritten = onnx.ModelProto()
    rewritten.CopyFrom(model)
    graph = rewritten.graph
    done: list[Rewrite] = []
    for node in [n for n in graph.node if n.op_type == "ZipMap" and n.output[0] in outputs]:
        labels = zipmap_labels(node)
        identity = helper.make_node("Identity", list(node.input), list(node.output), name=node.name)
        node.CopyFrom(identity)
        _retype_output(graph, node.output[0], len(labels))
        done.append(ZipMapRewrite(node.output[0], labels))
    return rewritten, done


def _retype_output(graph: onnx.GraphProto, name: str, classes: int) -> None:
    output = next(o for o in graph.output if o.name == name)
    output.CopyFrom(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, [None, classes or None]))
