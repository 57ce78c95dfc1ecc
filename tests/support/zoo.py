"""Models as other tools export them, written with onnx.helper and small deterministic
weights: dynamic dimensions besides the batch, a recurrent state, token ids, Paddle's -1
sizes, scalar inputs, the current onnx package's IR version (refused_models' model) and
an old opset. Each is
meant to be built without metadata (tests/e2e/test_zoo.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from tests.support.models import save
from tests.support.refused_models import ir14_model

FLOAT = TensorProto.FLOAT


def _weights(seed: int, **shapes: tuple[int, ...]) -> list[onnx.TensorProto]:
    """Initializers of the given shapes, normal values of scale 0.5, the same on every run."""
    rng = np.random.default_rng(seed)
    return [
        numpy_helper.from_array((rng.standard_normal(shape) * 0.5).astype(np.float32), name)
        for name, shape in shapes.items()
    ]


def _constant(name: str, value: object, dtype: type = np.float32) -> onnx.TensorProto:
    return numpy_helper.from_array(np.array(value, dtype=dtype), name)


def conv_model(path: Path) -> Path:
    """A picture of any size, [batch, 3, height, width], gives two class scores (a 3 × 3
    convolution, ReLU, global average pooling, a linear layer) and a one-channel mask of
    its own size (a sigmoid over a 1 × 1 convolution of the features)."""
    weights = _weights(1, conv_w=(4, 3, 3, 3), conv_b=(4,), mask_w=(1, 4, 1, 1), fc_w=(4, 2), fc_b=(2,))
    nodes = [
        helper.make_node("Conv", ["pixel_values", "conv_w", "conv_b"], ["conv"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["features"]),
        helper.make_node("GlobalAveragePool", ["features"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"]),
        helper.make_node("MatMul", ["flat", "fc_w"], ["scores"]),
        helper.make_node("Add", ["scores", "fc_b"], ["logits"]),
        helper.make_node("Conv", ["features", "mask_w"], ["mask_logits"]),
        helper.make_node("Sigmoid", ["mask_logits"], ["mask"]),
    ]
    inputs = [helper.make_tensor_value_info("pixel_values", FLOAT, ["batch", 3, "height", "width"])]
    outputs = [
        helper.make_tensor_value_info("logits", FLOAT, ["batch", 2]),
        helper.make_tensor_value_info("mask", FLOAT, ["batch", 1, "height", "width"]),
    ]
    return save(helper.make_graph(nodes, "conv", inputs, outputs, weights), path)


HIDDEN = 8


def recurrent_model(path: Path) -> Path:
    """A bidirectional GRU over a sequence of any length, [sequence, batch, 3], from the state
    `h0` [2, batch, 8]; it hands back every step's output and the next state `hn`."""
    gates = 3 * HIDDEN
    weights = _weights(2, W=(2, gates, 3), R=(2, gates, HIDDEN), B=(2, 2 * gates))
    gru = helper.make_node(
        "GRU", ["x", "W", "R", "B", "", "h0"], ["y", "hn"], hidden_size=HIDDEN, direction="bidirectional"
    )
    inputs = [
        helper.make_tensor_value_info("x", FLOAT, ["sequence", "batch", 3]),
        helper.make_tensor_value_info("h0", FLOAT, [2, "batch", HIDDEN]),
    ]
    outputs = [
        helper.make_tensor_value_info("y", FLOAT, ["sequence", 2, "batch", HIDDEN]),
        helper.make_tensor_value_info("hn", FLOAT, [2, "batch", HIDDEN]),
    ]
    return save(helper.make_graph([gru], "recurrent", inputs, outputs, weights), path)


VOCABULARY, WIDTH, POSITIONS = 32, 16, 64


def transformer_model(path: Path) -> Path:
    """A one-layer transformer encoder over int64 token ids [batch, sequence]: token and
    position embeddings (Gather), one attention head (MatMul, Softmax), residuals each
    followed by LayerNormalization, a ReLU feed-forward layer, mean pooling over the
    sequence (`pooled`) and three class scores (`logits`)."""
    weights = _weights(
        3,
        tokens=(VOCABULARY, WIDTH),
        positions=(POSITIONS, WIDTH),
        wq=(WIDTH, WIDTH),
        wk=(WIDTH, WIDTH),
        wv=(WIDTH, WIDTH),
        wo=(WIDTH, WIDTH),
        w1=(WIDTH, 2 * WIDTH),
        w2=(2 * WIDTH, WIDTH),
        wc=(WIDTH, 3),
    )
    constants = [
        _constant("one", 1, np.int64),
        _constant("zero", 0, np.int64),
        _constant("scale", 1 / np.sqrt(WIDTH)),
        _constant("gamma", np.ones(WIDTH)),
        _constant("beta", np.zeros(WIDTH)),
    ]

    def node(op: str, inputs: list[str], output: str, **attributes: Any) -> onnx.NodeProto:
        return helper.make_node(op, inputs, [output], **attributes)

    nodes = [
        node("Gather", ["tokens", "input_ids"], "embedded"),
        node("Shape", ["input_ids"], "shape"),
        node("Gather", ["shape", "one"], "length", axis=0),
        node("Range", ["zero", "length", "one"], "position_ids"),
        node("Gather", ["positions", "position_ids"], "placed"),
        node("Add", ["embedded", "placed"], "hidden"),
        node("MatMul", ["hidden", "wq"], "q"),
        node("MatMul", ["hidden", "wk"], "k"),
        node("MatMul", ["hidden", "wv"], "v"),
        node("Transpose", ["k"], "kt", perm=[0, 2, 1]),
        node("MatMul", ["q", "kt"], "scores"),
        node("Mul", ["scores", "scale"], "scaled"),
        node("Softmax", ["scaled"], "attention", axis=-1),
        node("MatMul", ["attention", "v"], "context"),
        node("MatMul", ["context", "wo"], "attended"),
        node("Add", ["hidden", "attended"], "residual"),
        node("LayerNormalization", ["residual", "gamma", "beta"], "normed", axis=-1),
        node("MatMul", ["normed", "w1"], "up"),
        node("Relu", ["up"], "activated"),
        node("MatMul", ["activated", "w2"], "down"),
        node("Add", ["normed", "down"], "residual2"),
        node("LayerNormalization", ["residual2", "gamma", "beta"], "encoded", axis=-1),
        node("ReduceMean", ["encoded"], "pooled", axes=[1], keepdims=0),
        node("MatMul", ["pooled", "wc"], "logits"),
    ]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])]
    outputs = [
        helper.make_tensor_value_info("pooled", FLOAT, ["batch", WIDTH]),
        helper.make_tensor_value_info("logits", FLOAT, ["batch", 3]),
    ]
    return save(helper.make_graph(nodes, "encoder", inputs, outputs, weights + constants), path)


def minus_one_model(path: Path) -> Path:
    """A text detector as Paddle writes it, every dynamic size -1: a picture [-1, 3, -1, -1]
    gives a probability map [-1, 1, -1, -1] (a sigmoid over a 1 × 1 convolution)."""
    weights = _weights(4, w=(1, 3, 1, 1), b=(1,))
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["logits"]),
        helper.make_node("Sigmoid", ["logits"], ["prob_map"]),
    ]
    inputs = [helper.make_tensor_value_info("x", FLOAT, [-1, 3, -1, -1])]
    outputs = [helper.make_tensor_value_info("prob_map", FLOAT, [-1, 1, -1, -1])]
    return save(helper.make_graph(nodes, "detector", inputs, outputs, weights), path)


def scalar_model(path: Path) -> Path:
    """Rank-0 inputs: a `signal` [1, 8] is multiplied by `gain` [], and its `duration` []
    in seconds is its 8 samples over the int64 `sample_rate` []."""
    nodes = [
        helper.make_node("Mul", ["signal", "gain"], ["scaled"]),
        helper.make_node("Cast", ["sample_rate"], ["rate"], to=FLOAT),
        helper.make_node("Div", ["samples", "rate"], ["duration"]),
    ]
    inputs = [
        helper.make_tensor_value_info("signal", FLOAT, [1, 8]),
        helper.make_tensor_value_info("gain", FLOAT, []),
        helper.make_tensor_value_info("sample_rate", TensorProto.INT64, []),
    ]
    outputs = [
        helper.make_tensor_value_info("scaled", FLOAT, [1, 8]),
        helper.make_tensor_value_info("duration", FLOAT, []),
    ]
    return save(helper.make_graph(nodes, "scalars", inputs, outputs, [_constant("samples", 8.0)]), path)


def opset6_model(path: Path) -> Path:
    """Opset 6, as old PyTorch exported it, with fixed sizes: BatchNormalization-6 over
    [1, 2, 4, 4], then AveragePool-1 (2 × 2), Flatten, and Gemm-6 with its `broadcast`
    attribute to 3 scores. onnxruntime has no kernels for those versions. (onnx's
    version_converter cannot convert Gemm-6 or a broadcasting Add-6 over a named size.)"""
    weights = _weights(6, scale=(2,), bias=(2,), mean=(2,), gemm_w=(8, 3), gemm_c=(3,))
    weights.append(_constant("var", [0.5, 2.0]))
    nodes = [
        helper.make_node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["normed"], is_test=1),
        helper.make_node("AveragePool", ["normed"], ["pooled"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "gemm_w", "gemm_c"], ["scores"], broadcast=1),
    ]
    inputs = [helper.make_tensor_value_info("x", FLOAT, [1, 2, 4, 4])]
    # IR 3 lists every initializer among the graph's inputs, as old exporters did.
    inputs += [helper.make_tensor_value_info(w.name, FLOAT, w.dims) for w in weights]
    outputs = [helper.make_tensor_value_info("scores", FLOAT, [1, 3])]
    graph = helper.make_graph(nodes, "old", inputs, outputs, weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 6)])
    model.ir_version = 3
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


MODELS: dict[str, Callable[[Path], Path]] = {
    "conv": conv_model,
    "recurrent": recurrent_model,
    "transformer": transformer_model,
    "minus_one": minus_one_model,
    "scalar": scalar_model,
    "ir14": ir14_model,
    "opset6": opset6_model,
}
