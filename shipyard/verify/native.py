"""The reference side of `shipyard verify` (and of the tests): a site's predictions made on
CPython, through the page's own `Pipeline` and the site's own hooks, with onnxruntime
running the model.

onnxruntime and numpy are optional (`shipyard[verify]`): imported when a model is opened.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from shipyard.errors import VerifyError
from shipyard.verify.compare import Result, comparable
from shipyard.verify.inputs import InputSet
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.hooks import HookError, Hooks
from shipyard_runtime.names import FILES, USER_MODULE
from shipyard_runtime.pipeline import Maybe, Pipeline, Prediction, resolved
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import Feed, Output, feed, read_output
from shipyard_runtime.values import Values

# numpy's dtype names back to shipyard's (numpy holds strings as objects).
TYPE_NAMES = {d.numpy: d.name for d in DTYPES.values()}


class NativeModel:
    """A site's model in onnxruntime on CPython. `run` takes a row per model input, as the
    pipeline gives them, and gives the outputs as the page reads onnxruntime-web's."""

    def __init__(self, path: Path, app: AppSpec) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3  # errors only: stderr carries the progress
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except onnxruntime_errors() as error:
            raise VerifyError(f"onnxruntime cannot load it ({error})", file=path) from None
        self.app = app
        self.names = [output.name for output in self.session.get_outputs()]

    def run(self, rows: Values) -> list[Output]:
        """The outputs for one submission: a row per model input."""
        return self.run_feeds([feed(spec, rows[spec.key]) for spec in self.app.inputs])

    def run_feeds(self, feeds: list[Feed]) -> list[Output]:
        """The outputs for feeds of any dims (the CSV path stacks rows into one)."""
        import numpy as np

        arrays = {f.name: np.array(f.data, dtype=f.dtype.numpy).reshape(f.dims) for f in feeds}
        outputs = [np.asarray(out) for out in self.session.run(self.names, arrays)]
        return [self._output(name, array) for name, array in zip(self.names, outputs, strict=True)]

    def _output(self, name: str, array: Any) -> Output:
        type_name = TYPE_NAMES.get(str(array.dtype))
        if type_name is None:
            raise VerifyError(f"output {name!r} is {array.dtype}, which shipyard cannot compare")
        return read_output(self.app, name, type_name, list(array.shape), array.ravel().tolist())


def onnxruntime_errors() -> tuple[type[Exception], ...]:
    """onnxruntime's own exception classes (Fail, InvalidArgument, ...): what it raises for a
    model it cannot load or an input the model rejects. Anything else is shipyard's bug."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    return tuple(v for v in vars(state).values() if isinstance(v, type) and issubclass(v, Exception))


def predict_native(pipeline: Pipeline, model: NativeModel, values: Values) -> Prediction:
    """One submission through the pipeline, with an async hook run to completion here."""
    return finished(pipeline.predict(values, model.run))


def finished[T](value: Maybe[T]) -> T:
    """The value, or what the awaitable gives once run to its end: in a thread of its own
    when this one already runs an event loop (a notebook's, Playwright's sync API's)."""
    if not inspect.isawaitable(value):
        return value
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(resolved(value))
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, resolved(value)).result()


def run_native(model: Path, app: AppSpec, sets: list[InputSet], hooks: Hooks) -> list[Result]:
    """Each set's result as the page gives it, or the message it failed with: a hook's, or
    onnxruntime's for a set the model rejects."""
    pipeline, native = Pipeline(app, hooks), NativeModel(model, app)
    results: list[Result] = []
    for input_set in sets:
        values: Values = dict(input_set.values)
        try:
            results.append(comparable(predict_native(pipeline, native, values).to_result()))
        except HookError as error:
            results.append(str(error))
        except onnxruntime_errors() as error:
            results.append(str(error).strip().splitlines()[0])
    return results


def load_hooks(site: Path, app: AppSpec) -> Hooks:
    """The site's own `app.py`, imported on CPython."""
    if not app.python:
        return Hooks()
    path = site / FILES.user_code
    spec = importlib.util.spec_from_file_location(USER_MODULE, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise VerifyError(f"holds no {FILES.user_code}, which its metadata names", file=site)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's module may raise anything while it is imported
        raise VerifyError(
            f"cannot import it on this machine ({type(error).__name__}: {error})", file=path
        ) from None
    return Hooks.from_module(module)
