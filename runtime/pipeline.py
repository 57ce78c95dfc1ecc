"""One prediction, defined once: checked values, preprocess, the model, postprocess, a result.

The page (its form and `window.shipyard.predict`), the CSV path, `shipyard verify` and
the tests' references all go through `Pipeline`; each runs the model its own way
(onnxruntime-web in the page, onnxruntime on CPython), passed in as `run`.

A hook may be `async def`. Each step then returns an awaitable of its value, and only
then: a site whose hooks are plain functions never enters asyncio, whose scheduling in
Pyodide costs more than a small model's whole run. `then`, `attempt` and `resolved`
are the only places that tell the two apart.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .dtypes import ValueProblem
from .hooks import HookError, Hooks, call, hook_inputs, hook_outputs, model_rows, shown_entries
from .spec import AppSpec
from .tensors import Output
from .values import Values

# A value, or an awaitable of it when an async hook is on the way.
type Maybe[T] = T | Awaitable[T]
# Runs the model on one row per model input.
RunModel = Callable[[Values], Maybe[list[Output]]]


@dataclass(frozen=True)
class Prepared:
    """A submission ready for the model: one row per model input, and what the hooks saw
    of the form's values (postprocess gets it too; None without hooks)."""

    rows: Values
    inputs: dict[str, Any] | None = None


@dataclass(frozen=True)
class Prediction:
    """The model's outputs, and postprocess's entries (None without postprocess)."""

    outputs: list[Output]
    entries: dict[str, Any] | None = None

    def to_result(self) -> dict[str, Any]:
        """What `window.shipyard.predict` resolves to: each output, then `postprocess`."""
        result = {output.name: output.to_result() for output in self.outputs}
        return result if self.entries is None else result | {"postprocess": self.entries}


@dataclass(frozen=True)
class Pipeline:
    app: AppSpec
    hooks: Hooks

    def prepare(self, values: Values) -> Maybe[Prepared]:
        """The model's rows for checked values: the values themselves, or preprocess's
        result; HookError when preprocess raises or returns what the model cannot take."""
        if not self.hooks.any:
            return Prepared(values)  # the hooks' view of the values costs a copy: skip it
        inputs = hook_inputs(self.app, values)
        if self.hooks.preprocess is None:
            return Prepared(values, inputs)
        arrays = call("preprocess", self.hooks.preprocess, inputs)
        return then(arrays, lambda made: Prepared(self._rows(made), inputs))

    def finish(self, prepared: Prepared, outputs: list[Output]) -> Maybe[Prediction]:
        """The prediction for the model's outputs: with postprocess's entries when there
        is a postprocess; HookError when it raises or returns what the page cannot show."""
        if self.hooks.postprocess is None or prepared.inputs is None:
            return Prediction(outputs)
        shown = call("postprocess", self.hooks.postprocess, hook_outputs(outputs), prepared.inputs)
        return then(shown, lambda entries: Prediction(outputs, _entries(entries)))

    def predict(self, values: Values, run: RunModel) -> Maybe[Prediction]:
        """Values through preprocess, `run` and postprocess."""
        return then(
            self.prepare(values),
            lambda prepared: then(run(prepared.rows), lambda outputs: self.finish(prepared, outputs)),
        )

    def _rows(self, arrays: object) -> Values:
        try:
            return model_rows(self.app, arrays)
        except ValueProblem as problem:
            raise HookError(f"preprocess returned something the model cannot take: {problem}") from None


def _entries(shown: object) -> dict[str, Any]:
    try:
        return shown_entries(shown)
    except ValueProblem as problem:
        raise HookError(str(problem)) from None


def then[T, U](value: Maybe[T], step: Callable[[T], Maybe[U]]) -> Maybe[U]:
    """`step(value)`, once `value` is there: at once, or after awaiting it."""
    if inspect.isawaitable(value):
        return _then_later(value, step)
    return step(value)


async def _then_later[T, U](value: Awaitable[T], step: Callable[[T], Maybe[U]]) -> U:
    return await resolved(step(await value))


def attempt[T, U](
    compute: Callable[[], Maybe[T]], done: Callable[[T], U], failed: Callable[[HookError], U]
) -> Maybe[U]:
    """`done` with what `compute` gives, or `failed` with the HookError it raises on the way."""
    try:
        value = compute()
    except HookError as error:
        return failed(error)
    if inspect.isawaitable(value):
        return _attempt_later(value, done, failed)
    return done(value)


async def _attempt_later[T, U](
    value: Awaitable[T], done: Callable[[T], U], failed: Callable[[HookError], U]
) -> U:
    try:
        ready = await value
    except HookError as error:
        return failed(error)
    return done(ready)


async def resolved[T](value: Maybe[T]) -> T:
    """The value itself, awaited first if it is awaitable."""
    return await value if inspect.isawaitable(value) else value  # type: ignore[return-value]
