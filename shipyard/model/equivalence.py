"""Whether a repaired model computes what the original does: onnxruntime-web's outputs on
the repaired copy against onnx's reference evaluator on the original file, and when they
differ, the operators where they start to.

The tolerance is the conformance suite's (rtol 1e-3, atol 1e-5): onnxruntime's float32
kernels and the evaluator's numpy sum in other orders, which moves the fourth to sixth
digit, while a repair that changes what an operator means moves far more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnx
from onnx import defs
from onnx.reference import ReferenceEvaluator

from shipyard.model.ort_node import OrtNode, Tensors
from shipyard.model.repair import opset
from shipyard.verify.compare import Tolerance

TOLERANCE = Tolerance(rtol=1e-3, atol=1e-5)
Outputs = dict[str, np.ndarray]


class UncheckableError(Exception):
    """onnx's reference evaluator cannot run the original model; the message says why."""


def reference_runs(model: onnx.ModelProto, feed_sets: Sequence[Tensors]) -> list[Outputs | str]:
    """The evaluator's outputs on each set of inputs, or why that run failed; raises
    UncheckableError when it cannot run the model at all."""
    try:
        evaluator = ReferenceEvaluator(model)
    except Exception as error:  # the evaluator raises whatever its operators' code does
        raise UncheckableError(_words(error)) from None
    runs: list[Outputs | str] = []
    for feeds in feed_sets:
        try:
            outputs = evaluator.run(None, dict(feeds))
            runs.append(dict(zip(evaluator.output_names, outputs, strict=True)))  # type: ignore[arg-type]
        except Exception as error:
            runs.append(_words(error))
    return runs


def first_difference(got: Outputs | str, want: Outputs) -> str:
    """Where onnxruntime-web's outputs first differ from the evaluator's, or ""."""
    if isinstance(got, str):
        return f"onnxruntime-web fails where the original runs: {got}"
    for name, wanted in want.items():
        actual, expected = got.get(name), np.asarray(wanted)
        if actual is None:
            return f"output {name!r} is missing"
        if actual.shape != expected.shape:
            return f"output {name!r} has shape {list(actual.shape)}, the original's {list(expected.shape)}"
        same = TOLERANCE.matches_each(actual, expected)
        if not same.all():
            index = np.unravel_index(int(np.argmin(same)), same.shape)
            values = f"{actual[index].item()!r}, the original's {expected[index].item()!r}"
            return f"output {name!r} {list(map(int, index))} is {values}"
    return ""


def diverging_operators(
    original: onnx.ModelProto, repaired: onnx.ModelProto, feeds: Tensors, ort: OrtNode
) -> list[str]:
    """The original's nodes whose outputs differ in the repaired model while their inputs
    agree, each as `Pow-1 → Pow-7 (node 'p')`: every value the two graphs share made an
    output of the repaired one, run in onnxruntime-web, against the evaluator's."""
    try:
        want = ReferenceEvaluator(original).run(None, dict(feeds), intermediate=True)
    except Exception:  # the evaluator cannot follow the values: nothing to blame
        return []
    if not isinstance(want, dict):
        return []
    exposed = _exposing(repaired, set(want))
    outcome = ort.run(exposed.SerializeToString(), [feeds])
    got = outcome.runs[0] if outcome.runs else None
    if not isinstance(got, dict):
        return []
    differs = {
        name for name in got.keys() & want.keys() if first_difference({name: got[name]}, {name: want[name]})
    }
    return [
        _version_change(node, original, repaired)
        for node in original.graph.node
        if differs & set(node.output) and not differs & set(node.input)
    ]


def _exposing(model: onnx.ModelProto, names: set[str]) -> onnx.ModelProto:
    """A copy of `model` that also outputs each of `names` its nodes compute (untyped:
    onnxruntime infers the types)."""
    exposed = onnx.ModelProto()
    exposed.CopyFrom(model)
    outputs = {o.name for o in exposed.graph.output}
    computed = [name for node in exposed.graph.node for name in node.output if name in names - outputs]
    exposed.graph.output.extend(onnx.ValueInfoProto(name=name) for name in computed)
    return exposed


def _version_change(node: onnx.NodeProto, original: onnx.ModelProto, repaired: onnx.ModelProto) -> str:
    versions = [_since(node, model) for model in (original, repaired)]
    name = f" (node {node.name!r})" if node.name else ""
    return f"{node.op_type}-{versions[0]} → {node.op_type}-{versions[1]}{name}"


def _since(node: onnx.NodeProto, model: onnx.ModelProto) -> int:
    try:
        return int(defs.get_schema(node.op_type, opset(model, node.domain), node.domain).since_version)
    except defs.SchemaError:
        return opset(model, node.domain)


def _words(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
