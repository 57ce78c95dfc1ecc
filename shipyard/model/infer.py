"""Metadata written from the model itself: what `shipyard init` prints and `build` assumes.

The result is a metadata document (plain data, in the file's own layout), so a
user's file is merged over it key by key and read by the same `AppSpec.from_dict`.

Each tensor gets its name, type and shape; a dimension the model leaves dynamic (unset,
a name, or a negative size such as Paddle's -1) is written `null` or its name, never -1.
Beyond that:
- A picture: four dimensions of numbers, [N, C, H, W] or [N, H, W, C], whose N is 1 or
  the batch (runtime/dims.py), with 1 or 3 channels C, and each side H and W free (the
  picture keeps its own size) or 8 or more; neither C, H nor W may be the batch. An input
  gets `widget: image`, an output `display: image`. A fixed N of 2 or more is a stack of
  tensors, not one picture.
- A state tensor defaults to zeros (`default: 0`, which fills every element): the
  visitor has no value to type for it, and a recurrent model starts from zeros. It is a
  numeric input, not a picture, that
  - is named like one: a word of its name (split at anything but letters and digits, and
    between camelCase words) is h0, c0, hx, cx, state, states, hidden, past, cache or
    memory, or the name is initial_h or initial_c (ONNX's RNN, GRU and LSTM inputs);
  - or is shaped like a recurrent state, `[layers, batch, size]`: three dimensions, only
    the middle one dynamic;
  - or has an output of the same type and shape: the next state, handed back.
  A file's entry with rules of its own for the values drops the zeros (see reconcile).
- A classifier's outputs: its class labels (from a ZipMap, a classifier node's
  `classlabels_*`, a LabelEncoder, or a constant output of class names), shown as
  `probabilities` bars and a `label`.
"""

from __future__ import annotations

import re
from typing import Any

import onnx
from onnx import numpy_helper

from shipyard.model.load import ModelInfo, TensorSignature, read_signature
from shipyard.model.rewrite import zipmap_labels
from shipyard_runtime.dims import batch_axes, batch_names
from shipyard_runtime.dtypes import DTYPES

Labels = tuple[str | int, ...]
# ai.onnx.ml classifiers carry their class labels as attributes.
_LABEL_ATTRIBUTES = ("classlabels_strings", "classlabels_ints", "classlabels_int64s")
_NUMBER_KINDS = ("float", "int")
STATE_WORDS = frozenset({"h0", "c0", "hx", "cx", "state", "states", "hidden", "past", "cache", "memory"})
STATE_NAMES = frozenset({"initial_h", "initial_c"})


def infer_document(info: ModelInfo, model: onnx.ModelProto) -> dict[str, Any]:
    """A complete metadata document for `model` (already rewritten to tensor outputs)."""
    signature = read_signature(model)
    labels = class_labels(model)
    batch = batch_names([t.shape for t in signature.inputs if t.shape is not None])
    return {
        "name": info.metadata_props.get("name") or _title(info.path.stem),
        "description": info.metadata_props.get("description") or info.doc_string.strip() or None,
        "inputs": {t.name: _input_entry(t, signature.outputs, batch) for t in signature.inputs},
        "outputs": {t.name: _tensor_entry(t) | _display(t, labels, batch) for t in signature.outputs},
    }


def _title(stem: str) -> str:
    return stem.replace("_", " ").replace("-", " ").strip().capitalize() or "Model"


def _tensor_entry(tensor: TensorSignature) -> dict[str, Any]:
    shape = list(tensor.shape) if tensor.shape is not None else [None]
    return {"name": tensor.name, "type": tensor.type_name, "shape": shape}


def _input_entry(
    tensor: TensorSignature, outputs: tuple[TensorSignature, ...], batch: frozenset[str]
) -> dict[str, Any]:
    entry = _tensor_entry(tensor)
    if looks_like_image(tensor, batch):
        return entry | {"widget": "image"}
    if is_state(tensor, outputs, batch):
        return entry | {"default": 0}
    return entry


def _is_number(tensor: TensorSignature) -> bool:
    dtype = DTYPES.get(tensor.type_name)
    return tensor.is_tensor and dtype is not None and dtype.kind in _NUMBER_KINDS


def looks_like_image(tensor: TensorSignature, batch: frozenset[str] = frozenset()) -> bool:
    """[N, C, H, W] or [N, H, W, C] of numbers: N 1 or the batch (whose names are `batch`),
    1 or 3 channels, and each side free or 8 or more."""
    shape = tensor.shape
    if shape is None or len(shape) != 4 or not _is_number(tensor):
        return False
    batches = batch_axes(shape, batch)
    if shape[0] != 1 and batches != (0,):  # a stack of tensors, or a batch inside the picture
        return False
    for channels, sides in ((shape[1], shape[2:]), (shape[3], shape[1:3])):
        if channels in (1, 3) and all(not isinstance(d, int) or d >= 8 for d in sides):
            return True
    return False


def is_state(
    tensor: TensorSignature, outputs: tuple[TensorSignature, ...], batch: frozenset[str] = frozenset()
) -> bool:
    """Whether an input holds a model's state, which starts as zeros (see the module's docstring)."""
    if not _is_number(tensor) or looks_like_image(tensor, batch) or tensor.shape is None:
        return False
    recurrent = [isinstance(d, int) for d in tensor.shape] == [True, False, True]
    handed_back = any((o.type_name, o.shape) == (tensor.type_name, tensor.shape) for o in outputs)
    return _named_like_state(tensor.name) or recurrent or handed_back


def _named_like_state(name: str) -> bool:
    words = re.split(r"[^0-9a-z]+", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower())
    return name.lower() in STATE_NAMES or not STATE_WORDS.isdisjoint(words)


def _display(tensor: TensorSignature, labels: Labels | None, batch: frozenset[str]) -> dict[str, Any]:
    """A classifier's label output shows as a label, its probabilities as bars; an
    image-shaped output as a picture."""
    if looks_like_image(tensor, batch):
        return {"display": "image"}
    if labels is None or tensor.shape is None:
        return {}
    if tensor.type_name in ("float32", "float64") and tensor.shape[-1:] == (len(labels),):
        return {"name": "Probability per class", "display": "probabilities", "labels": list(labels)}
    if tensor.type_name in ("string", "int64") and len(tensor.shape) <= 2 and tensor.shape[1:] in ((), (1,)):
        return {"name": "Predicted class", "display": "label"}
    return {}


def class_labels(model: onnx.ModelProto) -> Labels | None:
    """The class labels, from a ZipMap, a classifier node, a LabelEncoder, or a constant output."""
    graph = model.graph
    for node in graph.node:
        found = zipmap_labels(node) or _attribute_labels(node)
        if found:
            return found
    outputs = {o.name for o in graph.output}
    for node in graph.node:
        if node.op_type == "LabelEncoder" and set(node.output) & outputs:
            return _label_encoder_values(node)
    return _constant_output(graph, outputs)


def _attribute_labels(node: onnx.NodeProto) -> Labels:
    for attribute in node.attribute:
        if attribute.name in _LABEL_ATTRIBUTES:
            return _values(attribute)
    return ()


def _label_encoder_values(node: onnx.NodeProto) -> Labels | None:
    for attribute in node.attribute:
        if attribute.name in ("values_strings", "values_int64s"):
            return _values(attribute)
    return None


def _values(attribute: onnx.AttributeProto) -> Labels:
    value = onnx.helper.get_attribute_value(attribute)
    return tuple(v.decode() if isinstance(v, bytes) else int(v) for v in value)


def _constant_output(graph: onnx.GraphProto, outputs: set[str]) -> Labels | None:
    """A graph output that is a constant list of strings: the model names its classes."""
    # Class names are strings, which ONNX never keeps as external data (numbers past 1 KiB are).
    constants = {i.name: i for i in graph.initializer if i.data_location != onnx.TensorProto.EXTERNAL}
    for node in graph.node:
        if node.op_type == "Constant" and node.output[0] in outputs:
            constants[node.output[0]] = onnx.helper.get_attribute_value(node.attribute[0])
    for name in outputs & set(constants):
        values = numpy_helper.to_array(constants[name]).ravel().tolist()
        if values and all(isinstance(v, bytes | str) for v in values):
            return tuple(v.decode() if isinstance(v, bytes) else v for v in values)
    return None
