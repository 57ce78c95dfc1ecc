"""Tensor data kept outside a model's graph, and the site's copy of the model.

A tensor saved as external data names a file (`location`, relative to the model's
folder), an `offset` and a `length`. Models past protobuf's 2 GiB limit must be saved
so, and `read_skeleton` reads every model so (its large initializers point at their
own bytes in the model's file). The site gets the graph as `model.onnx` and every
external tensor's bytes, one after another, in `model.data`, which the page hands
onnxruntime-web as its `externalData`: one way for a model of any size, measured at
least as fast to start as one merged file (README, "Big models"). The bytes are copied
a chunk at a time, so writing the site costs no memory in proportion to the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import onnx

from shipyard.errors import ModelError, Problem, os_reason
from shipyard_runtime.names import FILES

CHUNK = 16 * 2**20  # bytes copied at a time
# Past this many bytes of weights the page opens the model with onnxruntime's prepacking
# off: a packed second copy of each MatMul weight ran the wasm build out of its 4 GiB at
# 2 GiB of weights, and one row's product runs no slower unpacked (README, "Big models").
PREPACK_LIMIT = 2**30
_SHOWN = 3  # tensors named in a problem before "and N more"


@dataclass(frozen=True)
class Extent:
    """Where a tensor's bytes are: `length` bytes (to the end of the file when None) at
    `offset` of the file `location`."""

    location: str
    offset: int
    length: int | None

    @classmethod
    def of(cls, tensor: onnx.TensorProto) -> Extent:
        """The tensor's extent (ValueError for an offset or length that is not a number)."""
        entries = {entry.key: entry.value for entry in tensor.external_data}
        offset, length = int(entries.get("offset") or 0), entries.get("length")
        return cls(entries.get("location", ""), offset, int(length) if length else None)


def external_tensors(model: onnx.ModelProto) -> list[tuple[str, onnx.TensorProto]]:
    """Every tensor of the model whose data is external, with what it is (such as
    "initializer 'w'"): in the graph, its subgraphs and its functions."""
    functions = (found for function in model.functions for found in _node_tensors(function.node))
    tensors = [*_graph_tensors(model.graph), *functions]
    return [(what, t) for what, t in tensors if t.data_location == onnx.TensorProto.EXTERNAL]


def extent_problems(model: onnx.ModelProto) -> list[Problem]:
    """Each external tensor whose offset or length is not a count of bytes."""
    problems = []
    for what, tensor in external_tensors(model):
        try:
            extent = Extent.of(tensor)
        except ValueError:
            extent = Extent("", -1, None)
        if extent.offset < 0 or (extent.length or 0) < 0:
            problems.append(Problem("", f"{what}: external data offset or length is not a count of bytes"))
    return problems


def data_files(model: onnx.ModelProto, base: Path) -> list[Path]:
    """The files the model's external tensors are in that exist, in the order of their names."""
    paths = {_inside(base, Extent.of(t).location) for _, t in external_tensors(model)}
    return sorted(p for p in paths if p is not None and p.is_file())


def data_problems(model: onnx.ModelProto, base: Path) -> list[Problem]:
    """Each external data file that lies outside `base`, is missing, or is too short
    for a tensor in it, with the tensors that need it."""
    needs: dict[str, list[tuple[str, Extent]]] = {}
    for what, tensor in external_tensors(model):
        extent = Extent.of(tensor)
        needs.setdefault(extent.location, []).append((what, extent))
    reasons = (_file_problem(base, location, tensors) for location, tensors in needs.items())
    return [Problem("", f"external data file {reason}") for reason in reasons if reason]


def _file_problem(base: Path, location: str, tensors: list[tuple[str, Extent]]) -> str | None:
    path, who = _inside(base, location), _names([what for what, _ in tensors])
    if path is None:
        return f"{location!r} ({who}) is not in the model's folder"
    if not path.is_file():
        return f"{location} is missing next to the model: {who} {'needs' if len(tensors) == 1 else 'need'} it"
    size = path.stat().st_size
    short = [what for what, extent in tensors if extent.offset + (extent.length or 0) > size]
    return f"{location} is {size:,} bytes, too short for {_names(short)}: is it complete?" if short else None


@dataclass(frozen=True)
class SiteModel:
    """The site's copy of a model: its files, and the bytes of its weights."""

    files: tuple[str, ...]  # FILES.model, then FILES.model_data when it has weights
    weights: int

    def session(self) -> dict[str, Any]:
        """onnxruntime-web's options for opening it (`InferenceSession.create`), as the page
        passes them: the weights through `externalData`, and prepacking off past PREPACK_LIMIT."""
        options: dict[str, Any] = {}
        if FILES.model_data in self.files:
            options["externalData"] = [{"path": FILES.model_data, "data": f"./{FILES.model_data}"}]
        if self.weights > PREPACK_LIMIT:
            options["extra"] = {"session": {"disable_prepacking": "1"}}
        return options


def write_site_model(model: onnx.ModelProto, base: Path, folder: Path) -> SiteModel:
    """Write `model` into `folder` as the site ships it: the graph as FILES.model, and the
    external tensors' bytes as FILES.model_data when it has any."""
    site = onnx.ModelProto()
    site.CopyFrom(model)  # small: the weights are external
    tensors = [tensor for _, tensor in external_tensors(site)]
    if tensors:
        with (folder / FILES.model_data).open("wb") as data:
            for tensor in tensors:
                offset = data.tell()
                length = _copy(base, Extent.of(tensor), data)
                _point(tensor, Extent(FILES.model_data, offset, length))
            weights = data.tell()
    (folder / FILES.model).write_bytes(site.SerializeToString())
    return SiteModel((FILES.model, FILES.model_data), weights) if tensors else SiteModel((FILES.model,), 0)


def _copy(base: Path, extent: Extent, target: BinaryIO) -> int:
    path = _inside(base, extent.location)
    assert path is not None, "data_problems refuses a location outside the model's folder"
    buffer, left, copied = bytearray(CHUNK), extent.length, 0
    try:  # a failure to read is the model's; to write, the site's (the caller's)
        source = path.open("rb")
    except OSError as error:
        raise _unreadable(path, error) from None
    with source:
        source.seek(extent.offset)
        while left is None or left > copied:
            view = memoryview(buffer)[: CHUNK if left is None else min(CHUNK, left - copied)]
            try:
                read = source.readinto(view)
            except OSError as error:
                raise _unreadable(path, error) from None
            if not read:
                break
            target.write(view[:read])
            copied += read
    return copied


def _unreadable(path: Path, error: OSError) -> ModelError:
    return ModelError(f"cannot read the model's weights from it ({os_reason(error)})", file=path)


def _point(tensor: onnx.TensorProto, extent: Extent) -> None:
    del tensor.external_data[:]
    for key, value in (("location", extent.location), ("offset", extent.offset), ("length", extent.length)):
        tensor.external_data.add(key=key, value=str(value))


def _inside(base: Path, location: str) -> Path | None:
    """The file `location` names under `base`, or None when it is empty, absolute or
    climbs out (ONNX refuses such locations too)."""
    parts = PurePosixPath(location.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts or ":" in parts[0]:
        return None
    return base.joinpath(*parts)


def _names(whats: list[str]) -> str:
    """The tensors, as "initializer 'w'" or "initializers 'a', 'b', 'c' and 2 more"."""
    shown = whats[:_SHOWN]
    if len(whats) > 1 and all(what.startswith("initializer ") for what in shown):
        shown = ["initializers " + ", ".join(what.removeprefix("initializer ") for what in shown)]
    return ", ".join(shown) + (f" and {len(whats) - _SHOWN} more" if len(whats) > _SHOWN else "")


def _graph_tensors(graph: onnx.GraphProto) -> Iterator[tuple[str, onnx.TensorProto]]:
    for tensor in graph.initializer:
        yield f"initializer {tensor.name!r}", tensor
    for sparse in graph.sparse_initializer:
        yield f"initializer {sparse.values.name!r}", sparse.values
        yield f"initializer {sparse.values.name!r} (its indices)", sparse.indices
    yield from _node_tensors(graph.node)


def _node_tensors(nodes: Iterable[onnx.NodeProto]) -> Iterator[tuple[str, onnx.TensorProto]]:
    """The tensors of the nodes' attributes, and of their subgraphs."""
    for node in nodes:
        for attribute in node.attribute:
            tensors = [attribute.t] if attribute.HasField("t") else []
            for tensor in [*tensors, *attribute.tensors]:
                yield f"tensor of node {node.name or node.op_type!r}", tensor
            graphs = [attribute.g] if attribute.HasField("g") else []
            for graph in [*graphs, *attribute.graphs]:
                yield from _graph_tensors(graph)
