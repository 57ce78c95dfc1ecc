"""Images in and out of tensors: decoded pixels resized and normalised into an input, and an
output tensor turned back into pixels for a canvas.

The browser decodes a file into RGBA bytes at its natural size; everything after
that is here, in Python, so the page and `shipyard verify` compute the same
tensor. numpy does the work when it is importable; the pure-Python path gives the
same numbers (both compute in float64).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain, repeat
from operator import add, mul, sub, truediv
from typing import Any, cast

from .problems import Collector, suggest

LAYOUTS = ("NCHW", "NHWC")
COLORS = ("RGB", "BGR", "gray")
FITS = ("stretch", "crop")
_IMAGE_KEYS = ("layout", "color", "scale", "mean", "std", "fit", "max_side", "multiple_of")
# The side a picture's free height and width are guessed for (to tell NCHW from NHWC).
_GUESS_SIDE = 64
# ITU-R BT.601 luma, as Pillow's "L" mode computes it.
_LUMA = (0.299, 0.587, 0.114)

Taps = list[list[tuple[int, float]]]  # per output index: (source index, weight)


@dataclass(frozen=True)
class Pixels:
    """A decoded picture: RGBA bytes, row by row, as a canvas's ImageData holds them."""

    width: int
    height: int
    rgba: bytes

    def __post_init__(self) -> None:
        if self.width < 1 or self.height < 1 or len(self.rgba) != self.width * self.height * 4:
            raise ValueError(f"{len(self.rgba)} bytes do not make a {self.width} × {self.height} RGBA image")


@dataclass(frozen=True)
class ImageSpec:
    """How pixels become a tensor: value = (pixel × scale − mean) / std, per channel.

    The tensor's dims give the size: its last three dimensions (after a batch of 1) are
    channels, height and width in `layout` order. A channel count of 1 means gray.
    `fit: crop` cuts the picture to the tensor's aspect ratio around its centre before
    resizing; `stretch` resizes it as it is.
    """

    layout: str = ""  # NCHW or NHWC; "" guesses from the tensor's dims
    color: str = "RGB"
    scale: float = 1 / 255
    mean: tuple[float, ...] = (0.0,)
    std: tuple[float, ...] = (1.0,)
    fit: str = "stretch"
    max_side: int | None = None  # free sides: the longest at most this
    multiple_of: int = 1  # free sides: rounded to a multiple of this

    def sized(self, dims: Sequence[int], free: Sequence[int], width: int, height: int) -> tuple[int, ...]:
        """The dims for a picture of width × height when some of the tensor's sides are free:
        both free take the picture's size; one free keeps the picture's aspect ratio beside
        the fixed one. Then the longest free side is at most `max_side`, and each free side
        a multiple of `multiple_of` (at least one multiple)."""
        sized = list(dims)
        h_axis, w_axis = self._sides(dims)
        h, w = float(dims[h_axis]), float(dims[w_axis])
        if h_axis in free and w_axis in free:
            h, w = float(height), float(width)
        elif h_axis in free:
            h = height * w / width
        elif w_axis in free:
            w = width * h / height
        longest = max((side for axis, side in ((h_axis, h), (w_axis, w)) if axis in free), default=0.0)
        shrink = min(1.0, self.max_side / longest) if self.max_side and longest else 1.0
        for axis, side in ((h_axis, h), (w_axis, w)):
            if axis in free:
                sized[axis] = self._rounded(side * shrink)
        return tuple(sized)

    def _rounded(self, side: float) -> int:
        step = self.multiple_of
        rounded = max(step, round(side / step) * step)
        if self.max_side and rounded > self.max_side:
            rounded = max(step, self.max_side // step * step)
        return rounded

    def _sides(self, dims: Sequence[int]) -> tuple[int, int]:
        """The axes of the height and the width in `dims`."""
        n = len(dims)
        return (n - 3, n - 2) if n >= 3 and self.layout_of(dims) == "NHWC" else (n - 2, n - 1)

    def geometry(self, dims: Sequence[int]) -> tuple[int, int, int]:
        """(channels, height, width) of a tensor with these dims; rank 2 is one gray plane."""
        inner = list(dims)
        while len(inner) > 3 and inner[0] == 1:
            inner.pop(0)
        if len(inner) == 2:
            return 1, inner[0], inner[1]
        if len(inner) != 3:
            raise ValueError(f"an image tensor has 2 to 4 dimensions, not {len(dims)}")
        if self.layout_of(dims) == "NCHW":
            return inner[0], inner[1], inner[2]
        return inner[2], inner[0], inner[1]

    def to_tensor(self, pixels: Pixels, dims: Sequence[int]) -> list[float]:
        """The tensor's values, row-major in `dims`, for a picture of any size."""
        channels, height, width = self.geometry(dims)
        planes = [_resize(p, pixels, height, width, self.fit) for p in _planes(pixels, self._order(channels))]
        values = [
            _normalise(plane, self.scale, _at(self.mean, c), _at(self.std, c))
            for c, plane in enumerate(planes)
        ]
        if self.layout_of(dims) == "NCHW" or channels == 1:
            return list(chain.from_iterable(values))
        return list(chain.from_iterable(zip(*values, strict=True)))

    def to_pixels(self, values: Sequence[float], dims: Sequence[int]) -> Pixels:
        """An output tensor as a picture: pixel = (value × std + mean) / scale, clipped to 0..255."""
        channels, height, width = self.geometry(dims)
        area = height * width
        order = self._order(channels)
        nchw = self.layout_of(dims) == "NCHW"
        levels = []
        for c in range(channels):
            plane = values[c * area : (c + 1) * area] if nchw else values[c::channels]
            mean, std = _at(self.mean, c), _at(self.std, c)
            levels.append(bytes(max(0, min(255, round((float(v) * std + mean) / self.scale))) for v in plane))
        rgb = levels * 3 if order == "gray" else [levels[order.index(name)] for name in "RGB"]
        rgba = bytearray(area * 4)
        for t, plane in enumerate([*rgb, b"\xff" * area]):
            rgba[t::4] = plane
        return Pixels(width, height, bytes(rgba))

    def layout_of(self, dims: Sequence[int]) -> str:
        """The layout given, or NHWC when the last dimension looks like channels and the
        third from last does not."""
        if self.layout:
            return self.layout
        inner = list(dims[-3:])
        return "NHWC" if len(inner) == 3 and inner[2] in (1, 3) and inner[0] not in (1, 3) else "NCHW"

    def to_dict(self) -> dict[str, Any]:
        """The metadata's `image:` options that differ from the defaults."""
        default = ImageSpec()
        given = {name: getattr(self, name) for name in _IMAGE_KEYS}
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in given.items()
            if value != getattr(default, name)
        }

    def _order(self, channels: int) -> str:
        if channels == 1:
            return "gray"
        if channels != 3:
            raise ValueError(f"an image has 1 (gray) or 3 (color) channels, not {channels}")
        return "RGB" if self.color == "gray" else self.color


def _at(values: tuple[float, ...], channel: int) -> float:
    return values[channel] if len(values) > 1 else values[0]


def _normalise(plane: Sequence[float], scale: float, mean: float, std: float) -> list[float]:
    """(v × scale − mean) / std for each value, in C loops rather than Python's."""
    return list(map(truediv, map(sub, map(mul, plane, repeat(scale)), repeat(mean)), repeat(std)))


def _planes(pixels: Pixels, order: str) -> list[Sequence[float]]:
    """One plane per channel in `order`, transparent areas laid over white: an opaque
    picture's bytes are its planes as they are (v × 1 + 255 × 0 is v)."""
    rgba = pixels.rgba
    alphas = rgba[3::4]
    rgb: list[Sequence[float]] = [rgba[c::4] for c in range(3)]
    if alphas.count(255) != len(alphas):
        alpha = [a / 255 for a in alphas]
        white = list(map(mul, repeat(255), map(sub, repeat(1), alpha)))
        rgb = [list(map(add, map(mul, plane, alpha), white)) for plane in rgb]
    if order == "gray":
        r, g, b = (map(mul, repeat(weight), plane) for weight, plane in zip(_LUMA, rgb, strict=True))
        return [list(map(add, map(add, r, g), b))]
    return [rgb["RGB".index(c)] for c in order]


def _window(pixels: Pixels, height: int, width: int, fit: str) -> tuple[float, float, float, float]:
    """The source box (x, y, w, h) that fills the target: all of it, or its centre at the target's aspect."""
    w, h = float(pixels.width), float(pixels.height)
    if fit != "crop":
        return 0.0, 0.0, w, h
    if w * height > h * width:
        cw = h * width / height
        return (w - cw) / 2, 0.0, cw, h
    ch = w * height / width
    return 0.0, (h - ch) / 2, w, ch


def _taps(size: int, start: float, length: float, count: int) -> Taps:
    """Box-filter weights: each target sample averages the source samples it covers, by overlap."""
    step = length / count
    taps = []
    for i in range(count):
        lo, hi = start + i * step, start + (i + 1) * step
        span = range(int(lo), min(size, int(hi) + 1))
        weights = [(j, min(hi, j + 1) - max(lo, j)) for j in span]
        taps.append([(j, w / step) for j, w in weights if w > 0])
    return taps


def _resize(plane: Sequence[float], pixels: Pixels, height: int, width: int, fit: str) -> list[float]:
    x, y, w, h = _window(pixels, height, width, fit)
    across = _taps(pixels.width, x, w, width)
    down = _taps(pixels.height, y, h, height)
    try:
        import numpy
    except ImportError:
        return _resize_lists(plane, pixels.width, across, down)
    image = numpy.fromiter(plane, numpy.float64, len(plane)).reshape(pixels.height, pixels.width)
    resized = _dense(down, pixels.height) @ image @ _dense(across, pixels.width).T
    return [float(v) for v in resized.ravel()]


def _resize_lists(plane: Sequence[float], source_width: int, across: Taps, down: Taps) -> list[float]:
    """Each row narrowed, then each column shortened: done a whole column (then row) at a
    time, so the arithmetic runs in C."""
    columns = [plane[j::source_width] for j in range(source_width)]
    if isinstance(plane, bytes):
        byte_columns = cast("list[bytes]", columns)  # slices of bytes are bytes
        packed = [_pack(column) for column in byte_columns]
        mixed = [_mix_bytes(byte_columns, packed, taps) for taps in across]
    else:
        mixed = [_mix(columns, taps) for taps in across]
    narrowed = list(zip(*mixed, strict=True))  # the narrowed rows
    return list(chain.from_iterable(_mix(narrowed, taps) for taps in down))


def _mix_bytes(columns: list[bytes], packed: list[int], taps: list[tuple[int, float]]) -> list[float]:
    """`_mix` for columns of bytes: those of the largest weight (the ones a target column
    covers whole, when it covers any) are added as integers, every row at once in one
    big-int addition (see `_pack`), and weighed once; the others are added by weight. A
    large photo has many whole columns per target column: most of the work is saved."""
    whole = max(weight for _, weight in taps)
    inner = sum(packed[j] for j, weight in taps if weight == whole)
    total = list(map(mul, _unpack(inner, len(columns[0])), repeat(whole)))
    for j, weight in taps:
        if weight != whole:
            total = list(map(add, total, _weighed(columns[j], weight)))
    return total


def _pack(line: bytes) -> int:
    """The bytes as one integer with a 32-bit lane per byte: adding such integers adds every
    lane at once, without carries (255 × 2**24 columns would be needed to overflow one)."""
    lanes = bytearray(4 * len(line))
    lanes[::4] = line
    return int.from_bytes(lanes, sys.byteorder)


def _unpack(packed: int, count: int) -> list[int]:
    """The lanes of a sum of `_pack`ed lines, as ints."""
    return memoryview(packed.to_bytes(4 * count, sys.byteorder)).cast("I").tolist()


def _mix(lines: Sequence[Sequence[float]], taps: list[tuple[int, float]]) -> list[float]:
    """Σ weight × line over the taps, element by element, added left to right. (`sum` adds
    with compensation; the two differ far below float32's precision.)"""
    (first, weight), *rest = taps
    total = list(_weighed(lines[first], weight))
    for j, weight in rest:
        total = list(map(add, total, _weighed(lines[j], weight)))
    return total


def _weighed(line: Sequence[float], weight: float) -> Iterator[float]:
    """Each value × weight; a line of bytes (an opaque picture's) looks its products up."""
    if isinstance(line, bytes):
        return map(_products(weight).__getitem__, line)
    return map(mul, line, repeat(weight))


@lru_cache(maxsize=512)  # at most ~4 MB; a resize uses tens of weights, the same for each picture of a size
def _products(weight: float) -> list[float]:
    """v × weight for each byte value v: looking a product up makes no new float, so it is
    faster than multiplying."""
    return [v * weight for v in range(256)]


def _dense(taps: Taps, size: int) -> Any:
    import numpy

    matrix = numpy.zeros((len(taps), size))
    for i, row in enumerate(taps):
        for j, w in row:
            matrix[i, j] = w
    return matrix


def read_image(
    c: Collector, raw: object, key: str, dims: tuple[int, ...], free: tuple[int, ...] = ()
) -> ImageSpec | None:
    """The metadata's `image:` options, checked against the tensor they fill or show (whose
    `free` axes a picture sizes: their layout is guessed once, here, and kept)."""
    data: Mapping[str, Any] = {} if raw is None else c.mapping(raw, key)
    c.unknown_keys(data, _IMAGE_KEYS, key)
    found = len(c.problems)
    spec = ImageSpec(
        layout=_choice(c, data.get("layout"), LAYOUTS, f"{key}.layout") or "",
        color=_choice(c, data.get("color"), COLORS, f"{key}.color") or "RGB",
        scale=_positive(c, data.get("scale"), f"{key}.scale", 1 / 255),
        mean=_per_channel(c, data.get("mean"), f"{key}.mean", 0.0),
        std=_per_channel(c, data.get("std"), f"{key}.std", 1.0, positive=True),
        fit=_choice(c, data.get("fit"), FITS, f"{key}.fit") or "stretch",
        max_side=_whole(c, data.get("max_side"), f"{key}.max_side"),
        multiple_of=_whole(c, data.get("multiple_of"), f"{key}.multiple_of") or 1,
    )
    if len(c.problems) > found:
        return None
    if free:
        dims = tuple(_GUESS_SIDE if i in free else d for i, d in enumerate(dims))
        spec = replace(spec, layout=spec.layout_of(dims))
    try:
        channels = spec.geometry(dims)[0]
        spec._order(channels)
    except ValueError as error:
        c.add(key, f"shape {list(dims)} is not an image: {error}")
        return None
    for name in ("mean", "std"):
        if len(getattr(spec, name)) not in (1, channels):
            c.add(f"{key}.{name}", f"expected 1 or {channels} numbers, one per channel")
    return spec


def _choice(c: Collector, raw: object, allowed: tuple[str, ...], key: str) -> str | None:
    if raw is None:
        return None
    if raw not in allowed:
        c.add(key, f"unknown value {raw!r}{suggest(str(raw), allowed)}; one of {', '.join(allowed)}")
        return None
    return str(raw)


def _whole(c: Collector, raw: object, key: str) -> int | None:
    if raw is None:
        return None
    if type(raw) is not int or raw < 1:
        c.add(key, f"expected a whole number of pixels, at least 1, got {raw!r}")
        return None
    return raw


def _positive(c: Collector, raw: object, key: str, default: float) -> float:
    value = c.number(raw, key)
    if value is not None and value <= 0:
        c.add(key, "must be greater than 0")
    return default if value is None else value


def _per_channel(
    c: Collector, raw: object, key: str, default: float, positive: bool = False
) -> tuple[float, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if raw is None:
        return (default,)
    numbers = [c.number(v, key) for v in items]
    if positive and any(v is not None and v <= 0 for v in numbers):
        c.add(key, "must be greater than 0")
    return tuple(v if v is not None else default for v in numbers) or (default,)
