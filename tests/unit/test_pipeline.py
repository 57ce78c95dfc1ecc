"""The one definition of a prediction, on CPython: values through preprocess, the model and
postprocess, with plain and `async def` hooks alike, and each failure of user code named."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from shipyard.verify.native import finished
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.hooks import HookError, Hooks
from shipyard_runtime.pipeline import Pipeline, Prediction, attempt
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import Output
from shipyard_runtime.values import Values

APP = AppSpec.from_dict(
    {
        "name": "Doubles",
        "python": "app.py",
        "fields": {"size": {"type": "float64"}},
        "inputs": {"x": {"type": "float32", "shape": [None, 2]}},
        "outputs": {"y": {"type": "float32", "shape": [None, 2]}},
    }
)


def double(rows: Values) -> list[Output]:
    """The model: y = 2x."""
    return [Output("y", DTYPES["float32"], (1, 2), [2 * v for v in rows["x"]])]


def preprocess(inputs: dict[str, Any]) -> dict[str, Any]:
    return {"x": [inputs["size"], -inputs["size"]]}


def postprocess(outputs: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    return {"total": float(outputs["y"].sum()), "size": inputs["size"]}


async def async_preprocess(inputs: dict[str, Any]) -> dict[str, Any]:
    await asyncio.sleep(0)
    return preprocess(inputs)


async def async_postprocess(outputs: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    await asyncio.sleep(0)
    return postprocess(outputs, inputs)


@pytest.mark.parametrize(
    ("pre", "post"),
    [(preprocess, postprocess), (async_preprocess, postprocess), (preprocess, async_postprocess)],
    ids=["plain", "async preprocess", "async postprocess"],
)
def test_a_prediction_goes_through_both_hooks_and_the_model(pre: Any, post: Any) -> None:
    pipeline = Pipeline(APP, Hooks(pre, post))
    prediction = finished(pipeline.predict({"size": [1.5]}, double))
    assert prediction.outputs[0].values == [3.0, -3.0]
    assert prediction.entries == {"total": 0.0, "size": 1.5}
    assert prediction.to_result() == {
        "y": {"type": "float32", "dims": [1, 2], "data": [3.0, -3.0]},
        "postprocess": {"total": 0.0, "size": 1.5},
    }


def test_plain_hooks_never_make_an_awaitable() -> None:
    """A site without async hooks must not enter asyncio (see the module's docstring)."""
    pipeline = Pipeline(APP, Hooks(preprocess, postprocess))
    prepared = pipeline.prepare({"size": [1.5]})
    assert not inspect.isawaitable(prepared)
    assert not inspect.isawaitable(pipeline.finish(prepared, double(prepared.rows)))


def test_without_hooks_the_values_are_the_models_rows() -> None:
    app = AppSpec.from_dict(
        {"name": "x", "inputs": APP.to_dict()["inputs"], "outputs": APP.to_dict()["outputs"]}
    )
    pipeline = Pipeline(app, Hooks())
    values = {"x": [1.0, 2.0]}
    prepared = pipeline.prepare(values)
    assert prepared.rows is values and prepared.inputs is None
    assert pipeline.predict(values, double) == Prediction(double(values))


def broken(inputs: dict[str, Any]) -> Any:
    raise RuntimeError("unlucky size")


async def async_broken(inputs: dict[str, Any]) -> Any:
    raise RuntimeError("unlucky size")


@pytest.mark.parametrize(
    ("hooks", "message"),
    [
        (Hooks(broken), "preprocess raised an exception:\nTraceback"),
        (Hooks(async_broken), "preprocess raised an exception:\nTraceback"),
        (
            Hooks(lambda inputs: [1, 2]),
            "preprocess returned something the model cannot take: preprocess must",
        ),
        (Hooks(preprocess, lambda outputs, inputs: None), "postprocess must return a dict of values to show"),
    ],
    ids=["raises", "async raises", "returns a list", "postprocess returns None"],
)
def test_user_code_that_fails_is_a_hook_error_whose_message_says_so(hooks: Hooks, message: str) -> None:
    with pytest.raises(HookError) as error:
        finished(Pipeline(APP, hooks).predict({"size": [1.5]}, double))
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("hook", [broken, async_broken], ids=["plain", "async"])
def test_attempt_turns_a_hook_error_into_what_failed_returns(hook: Any) -> None:
    pipeline = Pipeline(APP, Hooks(hook))
    got = finished(attempt(lambda: pipeline.prepare({"size": [1.5]}), lambda _: "done", lambda e: "failed"))
    assert got == "failed"


def test_a_bug_in_the_model_runner_is_not_taken_for_user_code() -> None:
    def runner(rows: Values) -> list[Output]:
        raise KeyError("a shipyard bug")

    with pytest.raises(KeyError):
        Pipeline(APP, Hooks(preprocess, postprocess)).predict({"size": [1.5]}, runner)
