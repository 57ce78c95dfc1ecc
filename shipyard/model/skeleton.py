"""Read an ONNX file without reading its weights.

`onnx.load` reads the whole file and parses it: a 576 MB model costs 1.15 GB of memory
before shipyard has looked at a node. Everything shipyard reads (the signature, the
nodes, the metadata) is small; the weights are not. So the file is parsed field by
field from a memory map, and the raw data of each large initializer is left where it
is: the tensor comes back as external data pointing at its own bytes in the file
(`location` the file's name, `offset`, `length`), which is how ONNX writes weights kept
in another file. A model saved with external data already is one; either way the
weights are read once, when the site's copy is written (see `external`).
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from pathlib import Path

import onnx
from google.protobuf.message import DecodeError

# Raw data of at least this many bytes stays in the file: onnx's own threshold for
# writing a tensor as external data (`size_threshold`).
INLINE_LIMIT = 1024

_MODEL_GRAPH = 7  # ModelProto.graph
_GRAPH_INITIALIZER = 5  # GraphProto.initializer
_TENSOR_RAW_DATA = 9  # TensorProto.raw_data
_VARINT, _LENGTH = 0, 2  # protobuf wire types
_FIXED = {1: 8, 5: 4}  # the fixed-size wire types, by their size in bytes

# One field of a message: its number, and where its tag, its value and the field end.
Field = tuple[int, int, int, int]


def read_skeleton(path: Path) -> onnx.ModelProto:
    """The model in `path`, its large initializers' data left in the file. A file that is
    not protobuf raises DecodeError, as `onnx.load` would."""
    with path.open("rb") as file:
        if not path.stat().st_size:
            return onnx.ModelProto()
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            view = memoryview(mapped)
            try:
                return _model(view, path.name)
            finally:
                view.release()


def _model(view: memoryview, location: str) -> onnx.ModelProto:
    model = onnx.ModelProto()
    for number, start, value, end in _fields(view, 0, len(view)):
        if number == _MODEL_GRAPH:
            _graph(view, value, end, model.graph, location)
        else:
            model.MergeFromString(view[start:end])
    return model


def _graph(view: memoryview, start: int, end: int, graph: onnx.GraphProto, location: str) -> None:
    """Merge the graph in view[start:end] into `graph`, runs of plain fields at once."""
    pending = start
    for number, tag, value, after in _fields(view, start, end):
        tensor = _set_aside(view, value, after, location) if number == _GRAPH_INITIALIZER else None
        if tensor is not None:
            graph.MergeFromString(view[pending:tag])
            graph.initializer.append(tensor)
            pending = after
    graph.MergeFromString(view[pending:end])


def _set_aside(view: memoryview, start: int, end: int, location: str) -> onnx.TensorProto | None:
    """The initializer in view[start:end] as external data in the file, when its raw data
    is large; None when it is small enough to parse as it is."""
    fields = list(_fields(view, start, end))
    raw = [f for f in fields if f[0] == _TENSOR_RAW_DATA]
    if not raw or raw[-1][3] - raw[-1][2] < INLINE_LIMIT:
        return None
    tensor = onnx.TensorProto()
    for number, tag, _, after in fields:
        if number != _TENSOR_RAW_DATA:
            tensor.MergeFromString(view[tag:after])
    _, _, offset, after = raw[-1]
    tensor.data_location = onnx.TensorProto.EXTERNAL
    for key, entry in (("location", location), ("offset", str(offset)), ("length", str(after - offset))):
        tensor.external_data.add(key=key, value=entry)
    return tensor


def _fields(view: memoryview, start: int, end: int) -> Iterator[Field]:
    position = start
    while position < end:
        tag = position
        key, position = _varint(view, position, end)
        wire = key & 7
        if wire == _LENGTH:
            length, position = _varint(view, position, end)
            after = position + length
        elif wire == _VARINT:
            after = _varint(view, position, end)[1]
        elif wire in _FIXED:
            after = position + _FIXED[wire]
        else:
            raise DecodeError(f"unexpected wire type {wire} at byte {tag}")
        if after > end:
            raise DecodeError(f"truncated field at byte {tag}")
        yield key >> 3, tag, position, after
        position = after


def _varint(view: memoryview, position: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while position < end:
        byte = view[position]
        value |= (byte & 0x7F) << shift
        position += 1
        if not byte & 0x80:
            return value, position
        shift += 7
    raise DecodeError(f"truncated varint at byte {position}")
