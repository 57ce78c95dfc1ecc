"""What an app is: its inputs and outputs, read from metadata and checked in full.

The classes are frozen dataclasses with an explicit `from_dict` that rejects
unknown keys and collects every problem before raising, so a user fixes a
metadata file in one pass. They are the one definition used by the generator
(on CPython) and by the page (in Pyodide).
"""

from __future__ import annotations

import array
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from .dims import Dim, Limit, Shaped, batch_names, fit, flat, free_axes, pattern, submission_dims
from .dtypes import DTYPES, DType, Value, ValueProblem, all_finite
from .images import ImageSpec, read_image
from .problems import Collector, describe, suggest
from .shapes import flatten, format_index, lists_among, nest, nested_shape, unravel

# An input's elements per submission, its fixed dimensions counted: 2**24 takes a fixed
# 3 × 2048 × 2048 picture (models such as SAM take 3 × 1024 × 1024), and still keeps a
# metadata typo such as `shape: [null, 100000000]` from exhausting memory.
MAX_ELEMENTS = 2**24


# The size a free dimension takes in an input made up to try the model; a picture's sides
# take ImageSpec's own (see `InputSpec.probe_dims`).
PROBE_SIZE = 8


# The sides of the picture a made-up input for a picture with free sides is sized for.
PROBE_PICTURE = 64


def _inner(dims: tuple[int, ...]) -> tuple[int, ...]:
    """`dims` without its leading sizes of 1, keeping at least one."""
    start = 0
    while start < len(dims) - 1 and dims[start] == 1:
        start += 1
    return dims[start:] or (1,)


def _holds_only(numbers: Sequence[Value], dtype: DType) -> bool:
    """An array of the type's own kind can hold no value out of the type's range (finite ones,
    for floats): min() and max() over a picture's values are slow in Pyodide."""
    return isinstance(numbers, array.array) and numbers.typecode == dtype.typecode


def _read_dtype(c: Collector, value: object, key: str) -> DType | None:
    if isinstance(value, str) and value in DTYPES:
        return DTYPES[value]
    if value is None:
        c.add(key, "is required")
        return None
    names = tuple(DTYPES)
    c.add(key, f"unknown type {value!r}{suggest(str(value), names)}; one of {', '.join(names)}")
    return None


def _read_shape(c: Collector, value: object, key: str, limited: bool) -> tuple[Dim, ...] | None:
    """A list of sizes, where `null`, a name or -1 (as the model may write it) is dynamic, and
    so is `{name, min, max}` (any of the three), which bounds it; with `limited` (inputs), at
    most MAX_ELEMENTS in the fixed ones."""
    if not isinstance(value, list):
        c.add(key, "is required" if value is None else f"expected a list, got {describe(value)}")
        return None
    found = len(c.problems)
    for i, dim in enumerate(value):
        if isinstance(dim, Mapping):
            _read_limit(c, dim, f"{key}[{i}]")
        elif not (dim is None or isinstance(dim, str) or (type(dim) is int and dim >= -1)):
            c.add(
                f"{key}[{i}]", f"expected a size, null, -1, a name or {{name, min, max}}, got {describe(dim)}"
            )
    if len(c.problems) > found:
        return None
    shape = tuple(_dim(dim) for dim in value)
    size = math.prod(d for d in shape if isinstance(d, int))
    if limited and size > MAX_ELEMENTS:
        c.add(key, f"{size} elements in one submission; at most {MAX_ELEMENTS} fit a form")
        return None
    return shape


def _read_limit(c: Collector, raw: Mapping[str, Any], key: str) -> None:
    c.unknown_keys(raw, ("name", "min", "max"), key)
    c.text(raw.get("name"), f"{key}.name")
    least, greatest = raw.get("min", 1), raw.get("max")
    for name, bound in (("min", least), ("max", greatest)):
        if bound is not None and (type(bound) is not int or bound < 1):
            c.add(f"{key}.{name}", f"expected a size of at least 1, got {describe(bound)}")
    if type(least) is int and type(greatest) is int and least > greatest:
        c.add(f"{key}.min", f"min {least} is greater than max {greatest}")


def _dim(raw: object) -> Dim:
    """A dimension as the shape holds it: a bounded one by its name (its bounds: `_limits`)."""
    if isinstance(raw, Mapping):
        return raw.get("name")
    return None if raw == -1 else raw  # type: ignore[return-value]


def _limits(raw: object) -> tuple[Limit, ...]:
    """The bounds a metadata shape sets on its dynamic dimensions (read once `_read_limit`
    has found them valid)."""
    entries = raw if isinstance(raw, list) else []
    return tuple(
        (i, _size(dim.get("min")) or 1, _size(dim.get("max")))
        for i, dim in enumerate(entries)
        if isinstance(dim, Mapping)
    )


def _size(raw: object) -> int | None:
    return raw if type(raw) is int else None


@dataclass(frozen=True)
class TensorSpec:
    """A model input or output: its tensor name, label, element type and shape."""

    key: str  # the tensor's name in the model
    label: str
    dtype: DType
    shape: tuple[Dim, ...]
    batch: frozenset[str] = frozenset()  # the names that mark a batch dimension (see dims.py)
    limits: tuple[Limit, ...] = ()  # bounds the metadata sets on free dimensions

    # Cached: every prediction reads these, and in Pyodide working them out again costs
    # a sizeable share of a small model's whole run.
    @cached_property
    def dims(self) -> tuple[int, ...]:
        """The dimensions of one form submission, every dynamic one 1: a submission's own,
        unless free dimensions (see `free`) take other sizes from its value."""
        return submission_dims(self.shape)

    @cached_property
    def free(self) -> tuple[int, ...]:
        """The dynamic dimensions that a value sizes (see dims.py); none for most models."""
        return free_axes(self.shape, self.batch)

    @cached_property
    def size(self) -> int:
        """How many elements one submission holds (with each free dimension 1)."""
        return math.prod(self.dims)

    @cached_property
    def probe_dims(self) -> tuple[int, ...]:
        """The dimensions of an input made up to try the model (at build time, and the page's
        warm-up) when the metadata gives no default: a submission's, each free one PROBE_SIZE."""
        return tuple(PROBE_SIZE if i in self.free else d for i, d in enumerate(self.dims))

    def dims_of(self, row: Sequence[Value]) -> tuple[int, ...]:
        """The dimensions of a checked row of this tensor (a default, a submission)."""
        return row.dims if isinstance(row, Shaped) else self.dims

    def fit_dims(self, given: Sequence[int]) -> tuple[int, ...]:
        """The dims of a value of shape `given` (see `dims.fit`), within the metadata's bounds."""
        return fit(self.shape, self.free, given, self.limits)

    def flat_dims(self, count: int) -> tuple[int, ...]:
        """The dims of `count` values given flat (see `dims.flat`), within the metadata's bounds."""
        return flat(self.shape, self.free, count, self.limits)

    @cached_property
    def inner_shape(self) -> tuple[int, ...]:
        """`dims` without its leading sizes of 1 (the batch and any like it), keeping at least
        one: what the form lays out, and the shortest nesting `read_row` accepts."""
        return _inner(self.dims)


_TENSOR_KEYS = ("name", "type", "shape")
_INPUT_KEYS = (*_TENSOR_KEYS, "min", "max", "step", "default", "choices", "widget", "image")
# Which element kinds each widget can edit.
WIDGETS = {
    "number": ("float", "int"),
    "slider": ("float", "int"),
    "integer": ("int",),
    "checkbox": ("bool",),
    "select": ("float", "int", "string", "bool"),
    "text": ("string",),
    "textarea": ("string",),
    "image": ("float", "int"),
}
_SHOW_KEYS = ("name", "display", "labels", "format", "unit", "image")
_OUTPUT_KEYS = (*_TENSOR_KEYS, *_SHOW_KEYS[1:])
DISPLAYS = ("value", "number", "label", "probabilities", "table", "text", "json", "image")
_RANGE_FIELDS = (("minimum", "min"), ("maximum", "max"), ("step", "step"))


@dataclass(frozen=True)
class InputSpec(TensorSpec):
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    default: Sequence[Value] | None = None  # a tuple, or a `Shaped` row for free dimensions
    choices: tuple[tuple[str, Value], ...] | None = None  # (label, value), in menu order
    widget: str = ""  # one of WIDGETS, or "" to choose by type (see `control`)
    image: ImageSpec | None = None  # how a picture becomes this tensor (widget `image`)

    @property
    def control(self) -> str:
        """The widget the form shows: the metadata's, or the natural one for the type."""
        if self.widget:
            return self.widget
        if self.choices is not None:
            return "select"
        kind = self.dtype.kind
        if kind in ("bool", "string"):
            return {"bool": "checkbox", "string": "text"}[kind]
        if self.minimum is not None and self.maximum is not None and self.size == 1:
            return "slider"
        return "integer" if kind == "int" else "number"

    @property
    def variable(self) -> bool:
        """Whether a value sets some of the dimensions (see dims.py)."""
        return bool(self.free)

    @cached_property
    def probe_dims(self) -> tuple[int, ...]:
        """See `TensorSpec.probe_dims`; a picture's free sides are those of a square picture."""
        if self.image is None or not self.free:
            return super().probe_dims
        return self.image.sized(self.dims, self.free, PROBE_PICTURE, PROBE_PICTURE)

    def check_row(self, items: Sequence[object], dims: tuple[int, ...] | None = None) -> Sequence[Value]:
        """Check one submission's elements, in row-major order for `dims` (a submission's,
        unless free dimensions say otherwise): their count, then each (naming its position:
        `value 3` in a row, `value [1, 0]` in a grid). An input with free dimensions gets a
        `Shaped` row, which carries its dims."""
        dims = self.dims if dims is None else dims
        size = math.prod(dims)
        if len(items) != size:
            inner = _inner(dims)
            shape = f" (shape {format_index(inner)})" if len(inner) > 1 else ""
            values = "value" if size == 1 else "values"
            raise ValueProblem(f"expected {size} {values}{shape}, got {len(items)}")
        checked = []
        for i, item in enumerate(items):
            try:
                checked.append(self.check(item))
            except ValueProblem as problem:
                raise ValueProblem(f"{self.position(i, dims)}{problem}") from None
        return self.shaped(checked, dims)

    def shaped(self, values: Sequence[Value], dims: tuple[int, ...]) -> Sequence[Value]:
        """Checked values as this input's row: `Shaped` when a value sets dimensions (free
        ones, or a batch of several rows)."""
        return Shaped(values, dims) if self.free or dims != self.dims else values

    def check_numbers(self, numbers: Sequence[Value], dims: tuple[int, ...] | None = None) -> Sequence[Value]:
        """`check_row` for numbers already of the type's kind, such as a picture's: all at
        once when they pass, element by element (to say which fails) when they do not."""
        dims = self.dims if dims is None else dims
        if len(numbers) == math.prod(dims) and self.choices is None and self.all_in_range(numbers):
            return self.shaped(numbers, dims)
        return self.check_row(numbers, dims)

    def all_in_range(self, numbers: Sequence[Value]) -> bool:
        """Whether numbers already of the type's kind (floats for a float type, ints for an
        int type) all pass `check`: a test of many at once, at C speed; `check` says what fails."""
        if self.dtype.kind == "float" and not all_finite(numbers):  # type: ignore[arg-type]
            return False
        if self.minimum is None and self.maximum is None and _holds_only(numbers, self.dtype):
            return True
        low, high = self.bounds
        return not numbers or (low <= min(numbers) and max(numbers) <= high)  # type: ignore[operator]

    @cached_property
    def bounds(self) -> tuple[float, float]:
        """The least and greatest number `check` accepts: the type's range within min and max."""
        low, high = self.dtype.range
        low = low if self.minimum is None else max(low, self.minimum)
        high = high if self.maximum is None else min(high, self.maximum)
        return low, high

    def position(self, i: int, dims: tuple[int, ...] | None = None) -> str:
        """How messages name element `i`: nothing for a single value, `value 3: ` (counting
        from 1) in a row, `value [1, 0]: ` (the form's grid indices) in a grid."""
        inner = _inner(self.dims if dims is None else dims)
        if math.prod(inner) == 1:
            return ""
        if len(inner) == 1:
            return f"value {i + 1}: "
        return f"value {format_index(unravel(i, inner))}: "

    def read_row(self, raw: object) -> Sequence[Value]:
        """A row as YAML, JSON or JS give it: a scalar for one element, a flat list in row-major
        order, or nested lists in the tensor's shape, whose leading sizes of 1 (such as a
        dynamic batch) may be left out. Free dimensions take the nesting's sizes, or the
        count of a flat list when only one is free."""
        if type(raw) in (float, int) and self.size == 1 and self.dtype.kind != "string" and not self.free:
            return [self.check(raw)]  # the commonest case, checked as the general path would
        items, dims = self.layout_of(raw)
        numbers = self._numbers(items)
        if numbers is not None:
            return self.check_numbers(numbers, dims)
        return self.check_row([coerce(self.dtype, item) for item in items], dims)

    def layout_of(self, raw: object) -> tuple[list[Any], tuple[int, ...]]:
        """A value's elements in row-major order, and the dims they fill (see `read_row`)."""
        if not isinstance(raw, list | tuple):
            return [raw], self.flat_dims(1)
        if lists_among(raw) is False:
            return list(raw), self.flat_dims(len(raw))
        given = nested_shape(raw)
        if given is None:
            raise ValueProblem(
                f"expected shape {pattern(self.shape, self.free)}, got lists of different lengths"
            )
        return flatten(raw), self.fit_dims(given)

    def _numbers(self, items: list[Any]) -> list[Value] | None:
        """A row of plain numbers as `check` makes them (ints become floats for a float type),
        or None if it holds anything else: a fast path for a tensor's many values."""
        types = set(map(type, items))
        if self.dtype.kind == "float" and types <= {float, int}:
            try:
                return list(map(float, items)) if int in types else list(items)
            except OverflowError:  # an int too large for a float: `check` meets it in its turn
                return None
        if self.dtype.kind == "int" and types <= {int}:
            return list(items)
        return None

    def check(self, value: object) -> Value:
        """Check one element against the type, min and max; raise ValueProblem if it fails."""
        checked = self.dtype.check(value)
        if self.choices is not None and checked not in [v for _, v in self.choices]:
            raise ValueProblem("must be one of " + ", ".join(label for label, _ in self.choices))
        if isinstance(checked, str | bool):  # min and max apply to numbers only
            return checked
        if self.minimum is not None and checked < self.minimum:
            raise ValueProblem(f"must be at least {self.minimum:g}")
        if self.maximum is not None and checked > self.maximum:
            raise ValueProblem(f"must be at most {self.maximum:g}")
        return checked


@dataclass(frozen=True)
class Show:
    """How a value is shown: `value` as it is (a number, a list or a table by shape),
    `number` with `format` (a Python format spec) and `unit`, `label` prominently,
    `probabilities` as one bar per class named by `labels` (in column order), `table`,
    `text`, `json`, or `image` drawn on a canvas as `image` says."""

    display: str = "value"
    labels: tuple[str | int, ...] | None = None
    format: str | None = None
    unit: str | None = None
    image: ImageSpec | None = None


@dataclass(frozen=True)
class OutputSpec(TensorSpec):
    """A model output and how the page shows it."""

    show: Show = Show()


@dataclass(frozen=True)
class ResultSpec:
    """An entry that `postprocess` returns (`results.<key>`): its label and how it is shown.
    An image result is nested lists (or an array) in the layout its `image` options say."""

    key: str
    label: str
    show: Show = Show()


def _read_tensor(
    c: Collector, key: str, data: Mapping[str, Any], where: str, batch: frozenset[str] = frozenset()
) -> dict[str, Any]:
    is_input = not where.startswith("outputs.")
    return {
        "key": key,
        "label": c.text(data.get("name"), f"{where}.name") or key,
        "dtype": _read_dtype(c, data.get("type"), f"{where}.type"),
        "shape": _read_shape(c, data.get("shape"), f"{where}.shape", is_input),
        "batch": batch,
        "limits": _limits(data.get("shape")),
    }


def _read_field(c: Collector, key: str, raw: object, batch: frozenset[str]) -> InputSpec | None:
    """A form field of its own (a `python` preprocess turns fields into model inputs);
    like an input, but one value unless its `shape` says otherwise."""
    data = c.mapping(raw, f"fields.{key}")
    return _read_input(c, key, {"shape": [1], **data}, batch, "fields")


def _read_input(
    c: Collector, key: str, raw: object, batch: frozenset[str], section: str = "inputs"
) -> InputSpec | None:
    where = f"{section}.{key}"
    data = c.mapping(raw, where)
    c.unknown_keys(data, _INPUT_KEYS, where)
    fields = _read_tensor(c, key, data, where, batch)
    fields |= {k: c.number(data.get(n), f"{where}.{n}") for k, n in _RANGE_FIELDS}
    lo, hi = fields["minimum"], fields["maximum"]
    if lo is not None and hi is not None and lo > hi:
        c.add(f"{where}.min", f"min {lo:g} is greater than max {hi:g}")
    if fields["step"] is not None and fields["step"] <= 0:
        c.add(f"{where}.step", "must be greater than 0")
    dtype = fields["dtype"]
    for name in ("min", "max", "step"):
        if dtype is not None and dtype.kind in ("string", "bool") and data.get(name) is not None:
            c.add(f"{where}.{name}", f"applies to number types only, not {dtype.name}")
    if fields["dtype"] is None or fields["shape"] is None:
        return None
    fields["choices"] = _read_choices(c, data.get("choices"), fields["dtype"], f"{where}.choices")
    fields["widget"] = _read_widget(c, data.get("widget"), fields, f"{where}.widget")
    if fields["widget"] == "image" or data.get("image") is not None:
        fields["widget"] = "image"
        fields["image"] = _read_input_image(c, data, fields, where)
    spec = InputSpec(**fields)
    default = data.get("default")
    if default is None:
        return spec
    values = _read_default(c, spec, default, f"{where}.default")
    return InputSpec(**(fields | {"default": values}))


def _read_input_image(
    c: Collector, data: Mapping[str, Any], fields: dict[str, Any], where: str
) -> ImageSpec | None:
    if fields["dtype"].kind not in WIDGETS["image"]:
        c.add(f"{where}.image", f"an image becomes numbers, not {fields['dtype'].name} values")
    shape = fields["shape"]
    free = free_axes(shape, fields["batch"])
    return read_image(c, data.get("image"), f"{where}.image", submission_dims(shape), free)


def _read_choices(c: Collector, raw: object, dtype: DType, key: str) -> tuple[tuple[str, Value], ...] | None:
    """A list of values, or a mapping of labels to values."""
    if raw is None:
        return None
    pairs = list(raw.items()) if isinstance(raw, Mapping) else raw
    if not isinstance(pairs, list) or not pairs:
        c.add(key, "expected a non-empty list of values, or a mapping of labels to values")
        return None
    choices = []
    for item in pairs:
        label, value = item if isinstance(raw, Mapping) else (item, item)
        try:
            choices.append((str(label), dtype.check(coerce(dtype, value))))
        except ValueProblem as problem:
            c.add(key, f"{value!r}: {problem}")
    return tuple(choices)


def _read_widget(c: Collector, raw: object, fields: dict[str, Any], key: str) -> str:
    if raw is None:
        return ""
    if raw not in WIDGETS:
        c.add(key, f"unknown widget {raw!r}{suggest(str(raw), tuple(WIDGETS))}; one of {', '.join(WIDGETS)}")
        return ""
    kind = fields["dtype"].kind
    if kind not in WIDGETS[str(raw)]:
        c.add(key, f"a {raw} cannot edit {fields['dtype'].name} values")
    elif raw == "select" and fields["choices"] is None:
        c.add(key, "a select needs `choices`")
    elif raw == "slider" and (fields["minimum"] is None or fields["maximum"] is None):
        c.add(key, "a slider needs `min` and `max`")
    return str(raw)


def _read_default(c: Collector, spec: InputSpec, raw: object, key: str) -> Sequence[Value] | None:
    """A row, or one value for every element of a submission (each free dimension 1)."""
    try:
        if not isinstance(raw, list) and (spec.size > 1 or spec.free):
            return _kept(spec.check_row([coerce(spec.dtype, raw)] * spec.size, spec.dims))
        return _kept(spec.read_row(raw))
    except ValueProblem as problem:
        c.add(key, str(problem))
        return None


def _kept(row: Sequence[Value]) -> Sequence[Value]:
    """A row to keep in a spec: a tuple, or the `Shaped` row that carries its dims."""
    return row if isinstance(row, Shaped) else tuple(row)


def coerce(dtype: DType, value: object) -> object:
    """Read a number written as text for a numeric type (as modelship files do) and a
    number given for a string type as its text; anything else is checked as it is."""
    if isinstance(value, str) and dtype.kind != "string":
        return dtype.parse(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and dtype.kind == "string":
        return str(value)
    return value


def _read_output(c: Collector, key: str, raw: object) -> OutputSpec | None:
    where = f"outputs.{key}"
    data = c.mapping(raw, where)
    c.unknown_keys(data, _OUTPUT_KEYS, where)
    fields = _read_tensor(c, key, data, where)
    if fields["dtype"] is None or fields["shape"] is None:
        return None
    return OutputSpec(**fields, show=_read_show(c, data, where, submission_dims(fields["shape"])))


def _read_result(c: Collector, key: str, raw: object) -> ResultSpec:
    where = f"results.{key}"
    data = c.mapping(raw, where)
    c.unknown_keys(data, _SHOW_KEYS, where)
    label = c.text(data.get("name"), f"{where}.name") or key
    return ResultSpec(key, label, _read_show(c, data, where, None))


def _read_show(c: Collector, data: Mapping[str, Any], where: str, dims: tuple[int, ...] | None) -> Show:
    """`display` and its options; an image's shape is checked here when it is known (outputs)."""
    display = data.get("display", "value")
    if display not in DISPLAYS:
        c.add(
            f"{where}.display",
            f"unknown display {display!r}{suggest(str(display), DISPLAYS)}; one of {', '.join(DISPLAYS)}",
        )
    image = None
    if display == "image":
        image = read_image(c, data.get("image"), f"{where}.image", dims or (1, 1, 1))
    elif data.get("image") is not None:
        c.add(f"{where}.image", "applies to `display: image` only")
    return Show(
        display=str(display),
        labels=_read_labels(c, data.get("labels"), f"{where}.labels"),
        format=_read_format(c, data.get("format"), f"{where}.format"),
        unit=c.text(data.get("unit"), f"{where}.unit"),
        image=image,
    )


def _read_format(c: Collector, raw: object, key: str) -> str | None:
    """A Python format spec for numbers, such as `.2f` or `,.0f`; tried on a number now."""
    spec = c.text(raw, key)
    if spec is None:
        return None
    try:
        format(1.5, spec)
    except ValueError as error:
        c.add(key, f"not a number format ({error}); for example .2f")
        return None
    return spec


def _read_labels(c: Collector, raw: object, key: str) -> tuple[str | int, ...] | None:
    if raw is None:
        return None
    ok = isinstance(raw, list) and all(isinstance(v, str | int) and not isinstance(v, bool) for v in raw)
    if not ok:
        c.add(key, "expected a list of class names or numbers")
        return None
    return tuple(raw)  # type: ignore[arg-type]


_APP_KEYS = ("name", "description", "inputs", "outputs", "examples", "fields", "python", "results")
Example = dict[str, Sequence[Value]]
_NEEDS_PYTHON = {
    "fields": "a form of its own needs a `python` module whose preprocess makes the model's inputs",
    "results": "results come from the `postprocess` of a `python` module; give one",
}


@dataclass(frozen=True)
class AppSpec:
    """A whole app: title, description, and the model's inputs and outputs in order."""

    name: str
    description: str | None
    inputs: tuple[InputSpec, ...]
    outputs: tuple[OutputSpec, ...] = field(default=())
    examples: tuple[Example, ...] = field(default=())
    fields: tuple[InputSpec, ...] = field(default=())  # a form of its own; see `form`
    python: str | None = None  # the module with preprocess/postprocess hooks
    results: tuple[ResultSpec, ...] = field(default=())  # how postprocess's entries are shown

    @property
    def form(self) -> tuple[InputSpec, ...]:
        """What the form shows and `predict` takes: the fields, or else the model's inputs."""
        return self.fields or self.inputs

    @cached_property
    def form_keys(self) -> frozenset[str]:
        """The keys `predict` and the form's links may name."""
        return frozenset(spec.key for spec in self.form)

    @classmethod
    def from_dict(cls, raw: object) -> AppSpec:
        """Read a metadata document; raise SpecError listing every problem."""
        c = Collector()
        data = c.mapping(raw, "")
        c.unknown_keys(data, _APP_KEYS, "")
        name = c.text(data.get("name"), "name", required=True)
        description = c.text(data.get("description"), "description")
        batch = _batch_names(data.get("inputs"))
        inputs = _read_section(c, data, "inputs", partial(_read_input, batch=batch))
        outputs = _read_section(c, data, "outputs", _read_output)
        has_fields = data.get("fields") is not None
        fields = _read_section(c, data, "fields", partial(_read_field, batch=batch)) if has_fields else []
        python = c.text(data.get("python"), "python")
        results = _read_section(c, data, "results", _read_result) if data.get("results") is not None else []
        for section, entries in (("fields", fields), ("results", results)):
            if entries and python is None:
                c.add(section, _NEEDS_PYTHON[section])
        form = [f for f in fields or inputs if f is not None]
        examples = _read_examples(c, data.get("examples"), form)
        c.raise_if_any()
        assert name is not None
        return cls(
            name,
            description,
            tuple(inputs),
            tuple(outputs),
            tuple(examples),
            tuple(fields),
            python,
            tuple(results),
        )

    def to_dict(self) -> dict[str, Any]:
        """The metadata document this spec reads back from (modelship's layout)."""
        return (
            {
                "name": self.name,
                "description": self.description,
                "inputs": {i.key: _input_dict(i) for i in self.inputs},
                "outputs": {o.key: _output_dict(o) for o in self.outputs},
                "examples": [{key: written(row) for key, row in ex.items()} for ex in self.examples],
            }
            | ({"fields": {f.key: _input_dict(f) for f in self.fields}} if self.fields else {})
            | ({"python": self.python} if self.python else {})
            | (
                {"results": {r.key: {"name": r.label} | _show_dict(r.show) for r in self.results}}
                if self.results
                else {}
            )
        )


def _batch_names(inputs: object) -> frozenset[str]:
    """The batch's names, from the inputs' shapes as the metadata writes them (see dims.py)."""
    entries = inputs.values() if isinstance(inputs, Mapping) else ()
    shapes = [e["shape"] for e in entries if isinstance(e, Mapping) and isinstance(e.get("shape"), list)]
    return batch_names(shapes)


def written(row: Sequence[Value]) -> Any:
    """A row as metadata writes it: a flat list, or nested lists when it carries its dims."""
    return nest(list(row), row.dims) if isinstance(row, Shaped) else list(row)


def _read_section(c: Collector, data: Mapping[str, Any], section: str, read: Any) -> list[Any]:
    if data.get(section) is None:
        c.add(section, "is required")
        return []
    entries = c.mapping(data[section], section)
    if not entries and isinstance(data[section], Mapping):
        c.add(section, "needs at least one entry")
    return [read(c, str(key), value) for key, value in entries.items()]


def _read_examples(c: Collector, raw: object, inputs: list[InputSpec]) -> list[Example]:
    """Each example gives some inputs; the others take their defaults."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        c.add("examples", f"expected a list, got {describe(raw)}")
        return []
    return [_read_example(c, entry, inputs, f"examples[{i}]") for i, entry in enumerate(raw)]


def _read_example(c: Collector, raw: object, inputs: list[InputSpec], where: str) -> Example:
    data = c.mapping(raw, where)
    c.unknown_keys(data, tuple(i.key for i in inputs if i.image is None), where)
    example: Example = {}
    for spec in inputs:
        if spec.image is not None:  # a picture is chosen by the visitor, never by an example
            continue
        value = data.get(spec.key)
        if value is None:
            if spec.default is None:
                c.add(f"{where}.{spec.key}", "no value given, and the input has no default")
            else:
                example[spec.key] = spec.default
            continue
        try:
            example[spec.key] = _kept(spec.read_row(value))
        except ValueProblem as problem:
            c.add(f"{where}.{spec.key}", str(problem))
    return example


def _tensor_dict(spec: TensorSpec) -> dict[str, Any]:
    shape: list[Any] = list(spec.shape)
    for axis, least, greatest in spec.limits:
        given = {"name": spec.shape[axis], "min": least, "max": greatest}
        shape[axis] = {k: v for k, v in given.items() if v is not None}
    return {"name": spec.label, "type": spec.dtype.name, "shape": shape}


def _output_dict(spec: OutputSpec) -> dict[str, Any]:
    return _tensor_dict(spec) | _show_dict(spec.show)


def _show_dict(show: Show) -> dict[str, Any]:
    extra: dict[str, Any] = {} if show.display == "value" else {"display": show.display}
    if show.labels is not None:
        extra["labels"] = list(show.labels)
    if show.image is not None:
        extra["image"] = show.image.to_dict()
    given = {"format": show.format, "unit": show.unit}
    return extra | {k: v for k, v in given.items() if v is not None}


def _input_dict(spec: InputSpec) -> dict[str, Any]:
    extra: dict[str, Any] = {"min": spec.minimum, "max": spec.maximum, "step": spec.step}
    if spec.default is not None:
        extra["default"] = written(spec.default)
    if spec.choices is not None:
        extra["choices"] = dict(spec.choices)
    if spec.widget:
        extra["widget"] = spec.widget
    if spec.image is not None:
        extra["image"] = spec.image.to_dict()
    return _tensor_dict(spec) | {k: v for k, v in extra.items() if v is not None}
