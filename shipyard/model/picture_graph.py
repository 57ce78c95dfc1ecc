"""A picture input's `image:` options as a small ONNX graph, which onnxruntime-web runs in
the page in front of the model: decoded RGBA bytes in, the model's input tensor out.

It computes what `shipyard_runtime.images.ImageSpec.to_tensor` computes (that module owns
the rule; this one spells it in ONNX): transparent areas laid over white, the channels in
the spec's order (or BT.601 luma), the window `fit` picks, the box filter `_taps` weighs,
then (v × scale − mean) / std and the layout. All of it in float64, as Python computes it,
down to the input's own type: float32 sums would round a picture's many exact halves
(2 × 2 pixels averaged) either way, and a picture drawn back from the model's output would
differ by a level. The filter's weights are computed in the graph from the picture's height
and width, and applied as a gather of the few source lines each target line covers: a
dense matrix would cost hundreds of millions of multiplications for a photo.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import numpy
import onnx
from onnx import TensorProto, helper, numpy_helper

from shipyard_runtime.images import _LUMA, ImageSpec, _at
from shipyard_runtime.picture_prep import picture_files, prepares
from shipyard_runtime.spec import AppSpec, InputSpec

PICTURE = "rgba"  # the graph's input: uint8 [height, width, 4], as a canvas's ImageData holds it
TENSOR = "tensor"  # its output: the model input's values, in its dims
OPSET = 17
IR_VERSION = 8  # onnxruntime-web reads at most 13; an opset-17 graph needs 8
_ONNX_TYPES = {"float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE, "float16": TensorProto.FLOAT16}


class _Branch(list[str]):
    """A branch's output (appended inside `_Graph.branch`), then its graph."""

    graph: onnx.GraphProto


def _double(name: str) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.DOUBLE, None)


class _Graph:
    """Nodes and constants, named in order as they are added."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self.count = 0

    def const(self, value: object, dtype: type[numpy.generic] = numpy.float64) -> str:
        name = f"c{len(self.constants)}"
        self.constants.append(numpy_helper.from_array(numpy.asarray(value, dtype=dtype), name))
        return name

    def ints(self, value: object) -> str:
        return self.const(value, numpy.int64)

    @contextmanager
    def branch(self) -> Iterator[_Branch]:
        """Nodes added inside make a branch of an `If`, which reads the graph's values."""
        outer, self.nodes = self.nodes, []
        made = _Branch()
        try:
            yield made
        finally:
            made.graph = helper.make_graph(self.nodes, f"branch{self.count}", [], [_double(made[0])])
            self.nodes = outer

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        self.count += 1
        name = f"t{self.count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [name], **attributes))
        return name


def picture_graph(spec: InputSpec) -> onnx.ModelProto:
    """The graph for a picture input the page prepares (see `picture_prep.prepares`)."""
    image = spec.image
    assert image is not None and prepares(spec)
    dims = spec.dims
    channels, height, width = image.geometry(dims)
    g = _Graph()
    shape = g.op("Cast", g.op("Shape", PICTURE), to=TensorProto.DOUBLE)
    source_h = g.op("Gather", shape, g.ints(0))
    source_w = g.op("Gather", shape, g.ints(1))
    x, y, w, h = _window(g, image.fit, source_w, source_h, width, height)
    picture, left, top = _in_window(g, image.fit, x, y, w, h, source_w, source_h)
    # Rows first: each target row gathers whole source rows, and the columns' pass then
    # goes through `height` rows rather than all of the photo's.
    rows = _Lines(source_h, y, h, height, top)
    shortened = _rows(g, picture, rows)  # [height, W, 4]
    resized = _box(g, shortened, 1, _Lines(source_w, x, w, width, left))  # [height, width, 4]
    planar = image.layout_of(dims) == "NCHW" and channels > 1
    if planar:  # each plane whole before it is picked and normalised: a far cheaper pass than per pixel
        resized = g.op("Transpose", resized, perm=[2, 0, 1])  # [4, height, width]
    planes = _channels(g, image._order(channels), resized, 0 if planar else 2)
    values = _normalised(g, image, channels, planes, [channels, 1, 1] if planar else [channels])
    values = g.op("Reshape", values, g.ints(list(dims)))
    values = _typed(g, spec, values)
    return _model(g, values, spec)


class _Lines(NamedTuple):
    """One axis of the box filter: the source's `size` of lines, the window [start, start +
    length) on it, the number of `targets` lines, and the first source line the pass is given
    (`first`, null for all of them)."""

    size: str
    start: str
    length: str
    targets: int
    first: str | None


def _rows(g: _Graph, picture: str, lines: _Lines) -> str:
    """The rows' pass of the box filter, on the picture laid over white: v × a + 255 × (1 − a)
    with a = alpha / 255, on all four channels at once (the fourth is never read). An opaque
    picture, a photo's, is its bytes as they are, summed as exact integers, which saves
    most of the passes over it and halves what each moves. Opacity is read from those
    sums: the picture is opaque when its alpha adds up to 255 for each pixel. Alpha's own
    plane is a strided copy, made only for a picture that needs it."""
    whole = g.op("Cast", picture, to=TensorProto.INT32)
    before = g.op("CumSum", whole, g.ints(0), exclusive=1)  # a column's sum fits: 255 × 8 million rows
    opaque = g.op("Equal", _alpha_total(g, picture, whole, before), _pixels(g, picture, 255.0))
    with g.branch() as laid:
        alpha_bytes = g.op("Slice", picture, g.ints([3]), g.ints([4]), g.ints([2]))
        pixels = g.op("Cast", picture, to=TensorProto.DOUBLE)
        alpha = g.op("Div", g.op("Cast", alpha_bytes, to=TensorProto.DOUBLE), g.const(255))
        white = g.op("Mul", g.const(255), g.op("Sub", g.const(1), alpha))
        laid.append(_box(g, g.op("Add", g.op("Mul", pixels, alpha), white), 0, lines))
    with g.branch() as as_it_is:
        as_it_is.append(_box(g, picture, 0, lines, before=before))  # the bytes, not their int32 copy
    return g.op("If", opaque, then_branch=as_it_is.graph, else_branch=laid.graph)


def _alpha_total(g: _Graph, picture: str, whole: str, before: str) -> str:
    """The sum of the picture's alpha, from its rows' running sums: at the last row, plus
    that row (in float64, which holds it exactly; int32 would not, past 8 million pixels)."""
    last = g.op("Sub", g.op("Gather", g.op("Shape", picture), g.ints(0)), g.ints(1))
    row = g.op("Add", g.op("Gather", before, last, axis=0), g.op("Gather", whole, last, axis=0))
    sums = g.op("ReduceSum", g.op("Cast", row, to=TensorProto.DOUBLE), g.ints([0]), keepdims=0)
    return g.op("Gather", sums, g.ints(3))


def _pixels(g: _Graph, picture: str, each: float) -> str:
    """`each` times the picture's count of pixels, in float64."""
    sides = g.op(
        "Cast", g.op("Slice", g.op("Shape", picture), g.ints([0]), g.ints([2])), to=TensorProto.DOUBLE
    )
    return g.op("Mul", g.op("ReduceProd", sides, keepdims=0), g.const(each))


def _in_window(
    g: _Graph, fit: str, x: str, y: str, w: str, h: str, source_w: str, source_h: str
) -> tuple[str, str | None, str | None]:
    """The picture cut to the source lines the window touches, with the first column and row
    kept; for `fit: stretch`, the whole picture (whose first line is line 0)."""
    if fit != "crop":
        return PICTURE, None, None

    def lines(start: str, length: str, size: str) -> tuple[str, str]:
        first = g.op("Floor", start)
        end = g.op("Min", g.op("Add", g.op("Floor", g.op("Add", start, length)), g.const(1.0)), size)
        return first, end

    (left, right), (top, bottom) = lines(x, w, source_w), lines(y, h, source_h)

    def pair(row: str, column: str) -> str:
        row, column = (g.op("Unsqueeze", side, g.ints([0])) for side in (row, column))
        return g.op("Cast", g.op("Concat", row, column, axis=0), to=TensorProto.INT64)

    starts, ends = pair(top, left), pair(bottom, right)
    return g.op("Slice", PICTURE, starts, ends, g.ints([0, 1])), left, top


def _channels(g: _Graph, order: str, pixels: str, axis: int) -> str:
    """The planes in the spec's order, on `axis`, or BT.601 luma (resized first: both are
    linear; `pixels` then has its channels last)."""
    if order == "gray":
        return g.op("MatMul", pixels, g.const([[v] for v in (*_LUMA, 0.0)]))
    return g.op("Gather", pixels, g.ints(["RGB".index(c) for c in order]), axis=axis)


def _window(g: _Graph, fit: str, w: str, h: str, width: int, height: int) -> tuple[str, str, str, str]:
    """`images._window` on the picture's float64 sides: the source box (x, y, w, h)."""
    zero = g.const(0.0)
    if fit != "crop":
        return zero, zero, w, h
    two = g.const(2.0)
    wider = g.op("Greater", g.op("Mul", w, g.const(float(height))), g.op("Mul", h, g.const(float(width))))
    crop_w = g.op("Div", g.op("Mul", h, g.const(float(width))), g.const(float(height)))
    crop_h = g.op("Div", g.op("Mul", w, g.const(float(height))), g.const(float(width)))
    box_w = g.op("Where", wider, crop_w, w)
    box_h = g.op("Where", wider, h, crop_h)
    x = g.op("Where", wider, g.op("Div", g.op("Sub", w, crop_w), two), zero)
    y = g.op("Where", wider, zero, g.op("Div", g.op("Sub", h, crop_h), two))
    return x, y, box_w, box_h


def _box(g: _Graph, values: str, axis: int, lines: _Lines, before: str | None = None) -> str:
    """`images._taps`'s box filter along `axis`: each of `lines.targets` targets averages the
    source lines [lo, hi) it covers, by overlap. Summed as the difference of the running sum
    at hi and at lo, each read between two whole lines, so that the photo is gone through
    once (a gather of every line a target covers would go through it several times). A
    target's hi is the next one's lo, so the running sum is read at the `count + 1` bounds
    once. `before`: the running sum of integer `values`, made already; the lines read of
    both are then made float64. Bounds are reckoned on the whole source, as Python reckons them, and
    read `lines.first` lines on in `values` when it starts there."""
    count = lines.targets
    step = g.op("Div", lines.length, g.const(float(count)))
    steps = g.op("Mul", g.const(numpy.arange(count + 1, dtype=numpy.float64)), step)
    bounds = g.op("Add", lines.start, steps)
    line = g.op("Min", g.op("Floor", bounds), g.op("Sub", lines.size, g.const(1.0)))
    part = g.op("Unsqueeze", g.op("Sub", bounds, line), g.ints([1] if axis == 1 else [1, 2]))
    at = line if lines.first is None else g.op("Sub", line, lines.first)
    index = g.op("Cast", at, to=TensorProto.INT64)
    integers = before is not None
    before = before or g.op("CumSum", values, g.ints(axis), exclusive=1)  # the sum of the lines before each

    def read(source: str) -> str:
        gathered = g.op("Gather", source, index, axis=axis)
        return g.op("Cast", gathered, to=TensorProto.DOUBLE) if integers else gathered

    running = g.op("Add", read(before), g.op("Mul", part, read(values)))  # at each bound
    lo = g.op("Slice", running, g.ints([0]), g.ints([count]), g.ints([axis]))
    hi = g.op("Slice", running, g.ints([1]), g.ints([count + 1]), g.ints([axis]))
    return g.op("Div", g.op("Sub", hi, lo), step)


def _normalised(g: _Graph, image: ImageSpec, channels: int, planes: str, shape: list[int]) -> str:
    """(v × scale − mean) / std, per channel (the constants in `shape`, against the planes')."""

    def per_channel(values: tuple[float, ...]) -> str:
        return g.const(numpy.reshape([_at(values, c) for c in range(channels)], shape))

    scaled = g.op("Mul", planes, g.const(image.scale))
    return g.op("Div", g.op("Sub", scaled, per_channel(image.mean)), per_channel(image.std))


def _typed(g: _Graph, spec: InputSpec, values: str) -> str:
    """The values in the input's type: integers rounded half to even (Python's `round`) and
    clipped to the type's range, as `values.image_row` makes them."""
    dtype = spec.dtype
    if dtype.kind == "float":
        return g.op("Cast", values, to=_ONNX_TYPES[dtype.name])
    low, high = dtype.low, dtype.high
    assert low is not None and high is not None
    clipped = g.op("Clip", g.op("Round", values), g.const(float(low)), g.const(float(high)))
    return g.op("Cast", clipped, to=helper.np_dtype_to_tensor_dtype(numpy.dtype(dtype.name)))


def _model(g: _Graph, output: str, spec: InputSpec) -> onnx.ModelProto:
    g.nodes.append(helper.make_node("Identity", [output], [TENSOR]))
    element = helper.np_dtype_to_tensor_dtype(numpy.dtype(spec.dtype.name))
    graph = helper.make_graph(
        g.nodes,
        "picture",
        [helper.make_tensor_value_info(PICTURE, TensorProto.UINT8, ["height", "width", 4])],
        [helper.make_tensor_value_info(TENSOR, element, list(spec.dims))],
        g.constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="shipyard")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model


def write_picture_graphs(site: Path, app: AppSpec) -> tuple[str, ...]:
    """Write the graph of each picture input the page prepares; their paths in the site."""
    by_key = {spec.key: spec for spec in app.form}
    for key, path in picture_files(app).items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(picture_graph(by_key[key]).SerializeToString())
    return tuple(picture_files(app).values())
