"""The user's Python: `preprocess(inputs)` and `postprocess(outputs, inputs)`, sync or async.

Both are optional. preprocess gets the form's values (one value for a
one-element field, a list for a row) and returns arrays keyed by model input
name: numpy arrays, nested lists, `array.array` or memoryviews. postprocess gets
the model's outputs as nested lists (numpy arrays when numpy is importable) and
returns `{name: value}` to show. This module runs on CPython too, so the same
hooks can be checked outside the browser.
"""

from __future__ import annotations

import inspect
import math
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .dims import Shaped
from .display import plain
from .dtypes import DType, ValueProblem
from .problems import ShipyardError
from .shapes import flatten, format_index, lists_among, nest, nested_shape
from .spec import AppSpec, InputSpec
from .tensors import Output
from .values import Values

Hook = Callable[..., Any]


class HookError(ShipyardError):
    """User code raised (the message is its traceback, without shipyard's own frames), or
    returned what the model or the page cannot take."""


def _raised(hook: str, error: BaseException) -> HookError:
    frames = traceback.format_exception(type(error), error, error.__traceback__)
    return HookError(f"{hook} raised an exception:\n" + "".join(frames[:1] + frames[2:]))


@dataclass(frozen=True)
class Hooks:
    preprocess: Hook | None = None
    postprocess: Hook | None = None

    @classmethod
    def from_module(cls, module: ModuleType | None) -> Hooks:
        return cls(getattr(module, "preprocess", None), getattr(module, "postprocess", None))

    @property
    def any(self) -> bool:
        """Whether user code sees the inputs: then they are copied into Python for it."""
        return self.preprocess is not None or self.postprocess is not None


def call(hook: str, function: Hook, *args: Any) -> Any:
    """Call user code, turning whatever it raises into a HookError; an `async def` hook's
    result is an awaitable that does the same when awaited."""
    try:
        result = function(*args)
    except Exception as error:  # user code may raise anything; the page shows it
        raise _raised(hook, error) from None
    return _awaited(hook, result) if inspect.isawaitable(result) else result


async def _awaited(hook: str, awaitable: Any) -> Any:
    try:
        return await awaitable
    except Exception as error:
        raise _raised(hook, error) from None


def hook_inputs(app: AppSpec, values: Values) -> dict[str, Any]:
    """The form's values as preprocess sees them: one value for a one-element field, an
    array in the field's shape for an image, a flat list for any other row."""
    inputs: dict[str, Any] = {}
    for spec in app.form:
        row = values[spec.key]
        if spec.image is not None or isinstance(row, Shaped):
            inputs[spec.key] = _array(row, spec.dtype, spec.dims_of(row))
        else:
            inputs[spec.key] = row[0] if spec.size == 1 else row
    return inputs


def model_rows(app: AppSpec, arrays: object) -> Values:
    """preprocess's result as one checked row per model input."""
    if not isinstance(arrays, dict):
        raise ValueProblem(
            f"preprocess must return a dict keyed by model input name, not {type(arrays).__name__}"
        )
    rows: Values = {}
    for spec in app.inputs:
        if spec.key not in arrays:
            raise ValueProblem(f"preprocess returned no {spec.key!r} (model inputs: {_names(app)})")
        items, dims = _shaped(spec, arrays[spec.key])
        if len(items) != math.prod(dims):
            raise ValueProblem(
                f"preprocess gave {spec.key!r} {len(items)} values; the model takes {format_index(dims)}"
            )
        rows[spec.key] = spec.shaped([spec.dtype.check(_plain(v)) for v in items], dims)
    return rows


def _shaped(spec: InputSpec, value: object) -> tuple[list[object], tuple[int, ...]]:
    """preprocess's array for a model input: its elements, and the dims they fill (the
    array's shape sets the input's free dimensions)."""
    items = _flat(value)
    given = getattr(value, "shape", None)
    if given is None and isinstance(value, list) and lists_among(value) is not False:
        given = nested_shape(value)
    try:
        return items, spec.flat_dims(len(items)) if given is None else spec.fit_dims(given)
    except ValueProblem as problem:
        if not spec.free:  # any array of the right count fills a fixed input, as it always has
            return items, spec.dims
        raise ValueProblem(f"preprocess gave {spec.key!r} values that do not fit: {problem}") from None


def hook_outputs(outputs: list[Output]) -> dict[str, Any]:
    """The model's outputs shaped by their dims: numpy arrays when numpy is there."""
    return {o.name: _array(o.values, o.dtype, o.dims) for o in outputs}


def shown_entries(shown: object) -> dict[str, Any]:
    """postprocess's result as `{name: plain value}`; ValueProblem when it is no dict."""
    if not isinstance(shown, dict):
        raise ValueProblem(f"postprocess must return a dict of values to show, not {type(shown).__name__}")
    return {str(name): plain(value) for name, value in shown.items()}


def _array(values: Sequence[Any], dtype: DType, dims: tuple[int, ...]) -> Any:
    """A numpy array when numpy is importable, otherwise nested lists of values rounded to
    the type (a float32's value, not the float64 it was computed in), as numpy would hold them."""
    try:
        import numpy
    except ImportError:
        return nest(dtype.unpack(dtype.pack(values)), dims)
    return numpy.array(values, dtype=dtype.numpy).reshape(dims)


def _flat(value: object) -> list[object]:
    if hasattr(value, "tolist"):  # numpy arrays and array.array
        value = value.tolist()
    elif isinstance(value, memoryview):
        value = value.tolist()
    if nested_shape(value) is None:
        raise ValueProblem("preprocess returned a ragged list")
    return flatten(value)


def _plain(value: object) -> object:
    """A numpy scalar as the Python number it holds."""
    return value.item() if hasattr(value, "item") else value


def _names(app: AppSpec) -> str:
    return ", ".join(spec.key for spec in app.inputs)
