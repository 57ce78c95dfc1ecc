"""The reference side of `shipyard verify`: each input set through the site's own hooks and
onnxruntime on CPython, shaped like the page's results."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
from pathlib import Path
from typing import Any

from shipyard.errors import VerifyError
from shipyard.site.layout import USER_CODE
from shipyard.verify.compare import Result, entries_as_outputs
from shipyard.verify.inputs import InputSet
from shipyard_runtime.display import plain
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.hooks import HookError, Hooks, call, hook_inputs, model_rows, wait
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import Values

# numpy's dtype names back to shipyard's (numpy holds strings as objects).
TYPE_NAMES = {d.numpy: d.name for d in DTYPES.values()}


def run_native(model: Path, app: AppSpec, sets: list[InputSet], hooks: Hooks) -> list[Result]:
    """Each set's outputs from onnxruntime on CPython, around the site's own hooks, shaped
    like the page's results."""
    import onnxruntime as ort

    try:
        session = ort.InferenceSession(str(model), ort_options(), providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own exception classes
        raise VerifyError(f"onnxruntime cannot load it ({error})", file=model) from None
    results: list[Result] = []
    for input_set in sets:
        try:
            results.append(_run_one(session, app, hooks, input_set.values))
        except HookError as error:
            results.append(str(error))
        except Exception as error:  # onnxruntime's own, for a set the model rejects
            results.append(str(error).strip().splitlines()[0])
    return results


def ort_options() -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: stderr carries the progress
    return options


def _run_one(session: Any, app: AppSpec, hooks: Hooks, values: Values) -> dict[str, Any]:
    import numpy as np

    inputs = hook_inputs(app, values)
    rows = (
        values if hooks.preprocess is None else model_rows(app, _hook("preprocess", hooks.preprocess, inputs))
    )
    feeds = {s.key: np.array(rows[s.key], dtype=s.dtype.numpy).reshape(s.dims) for s in app.inputs}
    names = [output.name for output in session.get_outputs()]
    arrays = [np.asarray(out) for out in session.run(names, feeds)]
    result = {name: _native_output(array) for name, array in zip(names, arrays, strict=True)}
    if hooks.postprocess is None:
        return result
    shown = _hook("postprocess", hooks.postprocess, dict(zip(names, arrays, strict=True)), inputs)
    if not isinstance(shown, dict):
        raise HookError(f"postprocess failed: returned {type(shown).__name__}, not a dict")
    return result | entries_as_outputs(plain(shown))  # type: ignore[arg-type]


def _hook(name: str, function: Any, *args: Any) -> Any:
    """Call a hook as the page does; an async one runs to completion here."""
    value = call(name, function, *args)
    return asyncio.run(wait(name, value)) if inspect.isawaitable(value) else value


def load_hooks(site: Path, app: AppSpec) -> Hooks:
    """The site's own `app.py`, imported on CPython."""
    if not app.python:
        return Hooks()
    path = site / USER_CODE
    spec = importlib.util.spec_from_file_location("shipyard_app", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise VerifyError(f"holds no {USER_CODE}, which its metadata names", file=site)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise VerifyError(
            f"cannot import it on this machine ({type(error).__name__}: {error})", file=path
        ) from None
    return Hooks.from_module(module)


def _native_output(array: Any) -> dict[str, Any]:
    return {
        "type": TYPE_NAMES.get(str(array.dtype), str(array.dtype)),
        "dims": list(array.shape),
        "data": array.ravel().tolist(),
    }
