"""Which node a failed run failed in, when onnxruntime-web's message does not say (its
checks inside kernels name none): found by halving the graph.

A graph's nodes are in topological order, so the graph cut after its k-th node, with every
value made so far as an output, runs exactly those nodes. The first k at which the cut
graph fails as the whole one does names the node.
"""

from __future__ import annotations

from dataclasses import replace

import onnx

from shipyard.model.ort_errors import OrtFailure, read_failure
from shipyard.model.ort_node import OrtNode, Tensors


def located(failure: OrtFailure, model: onnx.ModelProto, feeds: Tensors, ort: OrtNode) -> OrtFailure:
    """`failure`, a run's on `feeds`, with the operator and node it failed in when it named none."""
    if failure.opening or failure.operator or not model.graph.node:
        return failure
    low, high = 0, len(model.graph.node)  # the cut after `low` nodes runs; after `high`, fails
    while high - low > 1:
        middle = (low + high) // 2
        if _fails_alike(_cut(model, middle), feeds, failure, ort):
            high = middle
        else:
            low = middle
    node = model.graph.node[high - 1]
    return replace(failure, operator=node.op_type, node=node.name)


def _fails_alike(model: onnx.ModelProto, feeds: Tensors, failure: OrtFailure, ort: OrtNode) -> bool:
    outcome = ort.run(model.SerializeToString(), [feeds])
    run = outcome.runs[0] if outcome.runs else outcome.error
    return isinstance(run, str) and read_failure(run, failure.opening).reason == failure.reason


def _cut(model: onnx.ModelProto, count: int) -> onnx.ModelProto:
    """The model's first `count` nodes, each value they make an output (untyped: onnxruntime
    infers the types)."""
    cut = onnx.ModelProto()
    cut.CopyFrom(model)
    del cut.graph.node[count:]
    del cut.graph.output[:]
    cut.graph.output.extend(
        onnx.ValueInfoProto(name=name) for node in cut.graph.node for name in node.output if name
    )
    return cut
