"""Input values, from the form's text or from `window.shipyard.predict`, checked against the spec.

Both paths end in `InputSpec.check_row`, so the form and the JS API accept and reject
exactly the same values with the same messages. `plan.js_checks` hands the page the
same rules as data, for `predict` inputs that JS can accept without calling Python.
"""

from __future__ import annotations

import array
import json
import math
import re
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from typing import overload

from .dims import as_row
from .dtypes import Value, ValueProblem, is_nothing
from .images import Pixels
from .problems import Problem, ShipyardError
from .shapes import lists_among
from .spec import AppSpec, InputSpec, coerce


class ForeignArray(Sequence[float]):
    """A float array that lives outside Python (a JS typed array, in the page).

    A long input that needs no Python hook is checked where it lives and handed on to
    onnxruntime-web as it is: copying a picture's 150,528 floats into Python and out again
    costs more than the model's own run. Reading elements copies them all in.
    """

    typecode: str  # the `array` typecode of its elements

    @abstractmethod
    def all_within(self, low: float, high: float) -> bool:
        """Whether every element is finite and between low and high, inclusive."""

    @abstractmethod
    def to_memoryview(self) -> memoryview:
        """The elements, copied into Python."""

    @overload
    def __getitem__(self, index: int) -> float: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[float]: ...
    def __getitem__(self, index: int | slice) -> float | Sequence[float]:
        return self.to_memoryview().tolist()[index]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[float]:
        return iter(self.to_memoryview().tolist())


# An input's values in row-major order: a list, an `array.array` of its type when they
# came as a typed array (see `_buffer_row`), or a `ForeignArray` left where it was.
Values = dict[str, Sequence[Value]]

# Above this many elements a row is typed into one text area rather than one field each;
# a grid's rows follow the same rule, so a grid is at most this many fields wide.
FIELD_LIMIT = 8
# A grid (an input whose shape, leading sizes of 1 aside, has two dimensions or more)
# keeps one field per element up to this many elements: 8 x 8, or 4 stacked 4 x 4 grids.
GRID_LIMIT = 64


class InputError(ShipyardError):
    """Some input values were rejected: a problem per input, keyed by its name."""

    separator = "; "


def uses_grid(spec: InputSpec) -> bool:
    """Whether the form lays the input out as one grid of fields per leading index."""
    shape = spec.inner_shape
    return len(shape) > 1 and shape[-1] <= FIELD_LIMIT and spec.size <= GRID_LIMIT and not spec.free


def uses_text_area(spec: InputSpec) -> bool:
    """A long row, or one of any length (free dimensions), is typed into one text area."""
    return bool(spec.free) or (spec.size > FIELD_LIMIT and not uses_grid(spec))


def uses_json(spec: InputSpec) -> bool:
    """Whether the text area takes nested lists in JSON, whose shape sets several free sizes."""
    return len(spec.free) > 1


def split_text_area(spec: InputSpec, text: str) -> list[str]:
    """Strings go one per line; numbers may be separated by commas, spaces or new lines."""
    if spec.dtype.kind == "string":
        return text.splitlines()
    return [part for part in re.split(r"[\s,;]+", text) if part]


def read_text_area(spec: InputSpec, text: str) -> Sequence[Value]:
    """A text area's row: its items, or (several free dimensions) its JSON nested lists."""
    if not uses_json(spec):
        return spec.read_row([spec.dtype.parse(t) for t in split_text_area(spec, text)])
    try:
        nested = json.loads(text)
    except ValueError:
        raise ValueProblem("expected nested lists in JSON, such as [[1, 2], [3, 4]]") from None
    return spec.read_row(nested)


NO_IMAGE = "choose an image: pick a file, drop one here or paste one"


def image_row(spec: InputSpec, pixels: Pixels) -> Sequence[Value]:
    """A picture resized and normalised into the input's values (rounded for integer types)."""
    assert spec.image is not None
    dims = spec.image.sized(spec.dims, spec.free, pixels.width, pixels.height) if spec.free else spec.dims
    values: list[Value] = list(spec.image.to_tensor(pixels, dims))
    if spec.dtype.kind == "int":
        low, high = spec.dtype.low, spec.dtype.high
        assert low is not None and high is not None
        values = [max(low, min(high, round(v))) for v in values]  # type: ignore[arg-type]
    return spec.check_numbers(values, dims)


# A picture as the form hands it over: its pixels, or the tensor the page made of them
# (runtime/picture_prep.py), a typed array left in JS or its copy.
Picture = Pixels | Sequence[float] | memoryview


def from_form(
    app: AppSpec, texts: Mapping[str, list[str]], images: Mapping[str, Picture] | None = None
) -> Values:
    """Values from the form: each key maps to the texts of its controls, in order, and each
    image input to the picture chosen for it."""
    problems: list[Problem] = []
    values: Values = {}
    for spec in app.form:
        try:
            values[spec.key] = _form_row(spec, texts.get(spec.key, []), (images or {}).get(spec.key))
        except ValueProblem as problem:
            problems.append(Problem(spec.key, str(problem)))
    if problems:
        raise InputError(problems)
    return values


def _form_row(spec: InputSpec, items: list[str], picture: Picture | None) -> Sequence[Value]:
    if spec.image is not None:
        if picture is None:
            raise ValueProblem(NO_IMAGE)
        if isinstance(picture, Pixels):
            return image_row(spec, picture)
        return _flat_row(spec, picture, spec.dims)  # checked as any tensor of the input
    if uses_text_area(spec) and len(items) == 1:
        return read_text_area(spec, items[0])
    return spec.check_row([spec.dtype.parse(t) for t in items])


def from_api(app: AppSpec, given: Mapping[str, object]) -> Values:
    """Values passed to `window.shipyard.predict`: a scalar, or a list for a multi-element row."""
    problems = [Problem(key, "not an input of this model") for key in given if key not in app.form_keys]
    values: Values = {}
    for spec in app.form:
        if spec.key not in given and spec.default is not None:  # checked when the metadata was read
            values[spec.key] = as_row(spec.default)
            continue
        raw = given.get(spec.key)
        if is_nothing(raw):
            problems.append(Problem(spec.key, "a value is required"))
            continue
        try:
            values[spec.key] = _api_row(spec, raw)
        except ValueProblem as problem:
            problems.append(Problem(spec.key, str(problem)))
    if problems:
        raise InputError(problems)
    return values


def _api_row(spec: InputSpec, raw: object) -> Sequence[Value]:
    """An image input takes a picture `{width, height, data}` (RGBA bytes, as in ImageData);
    any input takes its tensor's values, or the tensor itself, `{dims, data}`, as
    onnxruntime-web's `Tensor` has them (data flat, a list or a typed array)."""
    if type(raw) in (float, int):  # the commonest case first: one plain number
        return spec.read_row(raw)
    if isinstance(raw, Mapping) and "dims" in raw:
        return _tensor_row(spec, raw)
    if spec.image is not None and isinstance(raw, Mapping):
        try:
            pixels = Pixels(int(raw["width"]), int(raw["height"]), bytes(raw["data"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueProblem(f"expected a picture {{width, height, data}}: {error}") from None
        return image_row(spec, pixels)
    return _flat_row(spec, raw, None)


def _tensor_row(spec: InputSpec, raw: Mapping[str, object]) -> Sequence[Value]:
    dims, data = raw.get("dims"), raw.get("data")
    if not isinstance(dims, list | tuple) or not all(type(d) is int for d in dims) or data is None:
        raise ValueProblem("expected a tensor {dims, data}: dims a list of sizes, data its values, flat")
    fitted = spec.fit_dims(dims)
    if isinstance(data, list | tuple) and lists_among(data) is not False:
        raise ValueProblem("a tensor's data is flat: its dims give the shape")
    return _flat_row(spec, data, fitted)


def _flat_row(spec: InputSpec, raw: object, dims: tuple[int, ...] | None) -> Sequence[Value]:
    """Values with `dims` (None: as `read_row` finds them)."""
    if isinstance(raw, memoryview):
        return _buffer_row(spec, raw, dims)
    if isinstance(raw, ForeignArray):
        return _foreign_row(spec, raw, dims)
    if dims is None:
        return spec.read_row(raw)
    return spec.check_row([coerce(spec.dtype, item) for item in raw], dims)  # type: ignore[attr-defined]


def _row_dims(spec: InputSpec, count: int, dims: tuple[int, ...] | None) -> tuple[int, ...]:
    return spec.flat_dims(count) if dims is None else dims


def _foreign_row(spec: InputSpec, values: ForeignArray, dims: tuple[int, ...] | None) -> Sequence[Value]:
    """The array itself when it is of the input's own float type and every value passes;
    otherwise its copy takes the buffer path, which words the problem."""
    sized = _row_dims(spec, len(values), dims)
    fits = (
        spec.dtype.kind == "float"
        and spec.choices is None
        and values.typecode == spec.dtype.typecode
        and len(values) == math.prod(sized)
        and values.all_within(*spec.bounds)
    )
    return spec.shaped(values, sized) if fits else _buffer_row(spec, values.to_memoryview(), dims)


def _buffer_row(spec: InputSpec, buffer: memoryview, dims: tuple[int, ...] | None) -> Sequence[Value]:
    """A typed array (the page sends a float input's long arrays as its own typed array),
    copied and checked in C: its length, finite, in range. It stays an `array.array`,
    which becomes the tensor's typed array in one more copy. Anything else, and any
    failure, takes the value-by-value path, which words the problem."""
    typecode = spec.dtype.typecode
    if spec.dtype.kind != "float" or spec.choices is not None or typecode is None:
        return _flat_row(spec, buffer.tolist(), dims)
    values = array.array(typecode)
    if buffer.format == typecode and buffer.contiguous:
        values.frombytes(buffer.cast("B"))
    else:
        values.extend(buffer)  # rounds each value to the input's type, as packing would
    sized = _row_dims(spec, len(values), dims)
    fits = len(values) == math.prod(sized) and spec.all_in_range(values)
    return spec.shaped(values, sized) if fits else _flat_row(spec, buffer.tolist(), dims)
